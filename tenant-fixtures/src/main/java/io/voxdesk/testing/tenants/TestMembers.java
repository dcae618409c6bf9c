package io.voxdesk.testing.tenants;

import java.util.UUID;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users of one test in a tenant's directory, put there as their first signed-in request would: tests without
 * Keycloak need members for queues, assignments and inbound routes.
 */
public final class TestMembers {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final TenantContext context;

	public TestMembers(JdbcClient jdbc, TransactionTemplate transactions, TenantContext context) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.context = context;
	}

	/** A new member with a fresh id. */
	public UserId add(TenantId in, String username, String role) {
		var user = UserId.of(UUID.randomUUID().toString());
		add(in, user, username, role);
		return user;
	}

	public void add(TenantId in, UserId user, String username, String role) {
		context.runAs(in, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into tenant_members (tenant_id, user_id, username, roles, first_seen_at, last_seen_at)
				values (:tenant, :user, :username, array[:role], now(), now())""")
			.param("tenant", in.value())
			.param("user", user.value())
			.param("username", username)
			.param("role", role)
			.update()));
	}
}

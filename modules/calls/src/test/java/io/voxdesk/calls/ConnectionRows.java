package io.voxdesk.calls;

import java.util.UUID;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** A provider connection row as saving one leaves it, written directly because this module has no connector. */
final class ConnectionRows {

	private ConnectionRows() {
	}

	static ProviderConnectionId insert(JdbcClient jdbc, TransactionTemplate transactions, TenantContext context,
			TenantId in, boolean enabled) {
		var id = ProviderConnectionId.of(UUID.randomUUID());
		context.runAs(in, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into provider_connections (id, tenant_id, kind, name, enabled, settings, secret, created_at,
				  updated_at, version)
				values (:id, :tenant, 'asterisk', 'PBX', :enabled, '{}'::jsonb, 'not-read-here', now(), now(), 0)""")
			.param("id", id.value())
			.param("tenant", in.value())
			.param("enabled", enabled)
			.update()));
		return id;
	}
}

package io.voxdesk.serviceaccounts.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.voxdesk.serviceaccounts.ServiceAccountId;
import io.voxdesk.tenants.TenantId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenants' service accounts; row-level security keeps each tenant to its own. */
@Repository
class ServiceAccounts {

	private final JdbcClient jdbc;

	ServiceAccounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Account account) {
		jdbc.sql("""
				insert into service_accounts (id, tenant_id, client_id, keycloak_id, name, roles, created_at, created_by,
				  secret_rotated_at)
				values (:id, :tenant, :client, :keycloak, :name, :roles, :at, :by, :at)""")
			.param("id", account.id().value())
			.param("tenant", account.tenant().value())
			.param("client", account.clientId())
			.param("keycloak", account.keycloakId())
			.param("name", account.name())
			.param("roles", account.roles().toArray(String[]::new))
			.param("at", Timestamp.from(account.createdAt()))
			.param("by", account.createdBy())
			.update();
	}

	List<Account> all() {
		return jdbc.sql("select * from service_accounts order by created_at").query(ServiceAccounts::account).list();
	}

	int count() {
		return jdbc.sql("select count(*) from service_accounts").query(Integer.class).single();
	}

	Optional<Account> find(ServiceAccountId id) {
		return jdbc.sql("select * from service_accounts where id = :id")
			.param("id", id.value())
			.query(ServiceAccounts::account)
			.optional();
	}

	void secretRotated(ServiceAccountId id, Instant at) {
		jdbc.sql("update service_accounts set secret_rotated_at = :at where id = :id")
			.param("id", id.value())
			.param("at", Timestamp.from(at))
			.update();
	}

	void delete(ServiceAccountId id) {
		jdbc.sql("delete from service_accounts where id = :id").param("id", id.value()).update();
	}

	private static Account account(ResultSet row, int number) throws SQLException {
		return new Account(ServiceAccountId.of(row.getObject("id", UUID.class)), TenantId.of(row.getString("tenant_id")),
				row.getString("client_id"), row.getString("keycloak_id"), row.getString("name"),
				new LinkedHashSet<>(Arrays.asList((String[]) row.getArray("roles").getArray())),
				row.getTimestamp("created_at").toInstant(), row.getString("created_by"),
				row.getTimestamp("secret_rotated_at").toInstant());
	}

	/** A service account as stored: its Keycloak client and the roles it was given. */
	record Account(ServiceAccountId id, TenantId tenant, String clientId, String keycloakId, String name,
			Set<String> roles, Instant createdAt, String createdBy, Instant secretRotatedAt) {
	}
}

package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PostgreSQL row-level security as the second line of defence: these tests bypass Hibernate's tenant filter
 * entirely and send native SQL through the application's own connections, as a bug or an injected query would.
 */
@ApplicationModuleTest(webEnvironment = WebEnvironment.NONE)
class RowLevelSecurityTests {

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	SecretCipher cipher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TenantId alpha;

	TenantId beta;

	@BeforeEach
	void twoTenantsWithDataKeys() {
		alpha = TenantId.of("a-" + UUID.randomUUID().toString().substring(0, 8));
		beta = TenantId.of("b-" + UUID.randomUUID().toString().substring(0, 8));
		context.runAsPlatform(() -> {
			tenants.create(alpha, "Alpha");
			tenants.create(beta, "Beta");
		});
		context.runAs(alpha, () -> cipher.encrypt(SecretPurpose.of("test.secret"), "alpha"));
		context.runAs(beta, () -> cipher.encrypt(SecretPurpose.of("test.secret"), "beta"));
	}

	@Test
	void theApplicationRoleOwnsNothingAndCannotBypassRowLevelSecurity() {
		var role = jdbc.sql("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
			.query((rs, n) -> rs.getBoolean(1) || rs.getBoolean(2))
			.single();
		assertThat(role).as("application role is superuser or bypasses RLS").isFalse();
		var owned = jdbc.sql("select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user")
			.query(Long.class)
			.single();
		assertThat(owned).isZero();
	}

	@Test
	void nativeSqlInATenantScopeReturnsNoForeignRows() {
		var visible = context.callAs(alpha, () -> transactions.execute(status -> jdbc
			.sql("select distinct tenant_id from tenant_keys")
			.query(String.class)
			.list()));
		assertThat(visible).containsExactly(alpha.value());

		var foreignById = context.callAs(alpha, () -> transactions.execute(status -> jdbc
			.sql("select count(*) from tenant_keys where tenant_id = ?")
			.param(beta.value())
			.query(Long.class)
			.single()));
		assertThat(foreignById).isZero();

		var foreignTenantRow = context.callAs(alpha, () -> transactions.execute(status -> jdbc
			.sql("select count(*) from tenants where id = ?")
			.param(beta.value())
			.query(Long.class)
			.single()));
		assertThat(foreignTenantRow).isZero();
	}

	/**
	 * The data source skips the round trip when it lends a pooled connection again for the scope that connection
	 * already has. The attack: a connection that last served alpha is lent to beta, to the platform, or to work
	 * without any scope, and still shows alpha's rows. Every lending must see its own scope only.
	 */
	@Test
	void aPooledConnectionLentAgainServesOnlyTheNewScope() {
		var scopesByBackend = new HashMap<Integer, Set<String>>();
		for (var round = 0; round < 5; round++) {
			for (var tenant : List.of(alpha, alpha, beta, alpha)) {
				var seen = context.callAs(tenant, () -> transactions.execute(status -> jdbc
					.sql("select pg_backend_pid(), coalesce(string_agg(distinct tenant_id, ','), '') from tenant_keys")
					.query((rs, n) -> Map.entry(rs.getInt(1), rs.getString(2)))
					.single()));
				assertThat(seen.getValue()).as("keys visible to %s", tenant).isEqualTo(tenant.value());
				scopesByBackend.computeIfAbsent(seen.getKey(), pid -> new HashSet<>()).add(tenant.value());
			}
			var unscoped = jdbc.sql("select pg_backend_pid(), count(*) from tenant_keys")
				.query((rs, n) -> Map.entry(rs.getInt(1), rs.getLong(2)))
				.single();
			assertThat(unscoped.getValue()).as("keys visible without a scope").isZero();
			scopesByBackend.computeIfAbsent(unscoped.getKey(), pid -> new HashSet<>()).add("none");
			var platform = context.callAsPlatform(() -> transactions.execute(status -> jdbc
				.sql("select pg_backend_pid(), count(*) from tenant_keys")
				.query((rs, n) -> Map.entry(rs.getInt(1), rs.getLong(2)))
				.single()));
			assertThat(platform.getValue()).as("keys visible to the platform").isZero();
			scopesByBackend.computeIfAbsent(platform.getKey(), pid -> new HashSet<>()).add("platform");
		}
		// Otherwise the pool handed out fresh connections and the test proved nothing about lending one again.
		assertThat(scopesByBackend.values()).as("scopes each database connection served")
			.anySatisfy(scopes -> assertThat(scopes).hasSizeGreaterThanOrEqualTo(3));
	}

	@Test
	void nativeSqlInATenantScopeCannotInsertOrMoveRowsIntoAnotherTenant() {
		assertThatThrownBy(() -> context.runAs(alpha, () -> transactions.executeWithoutResult(status -> jdbc
			.sql("insert into tenant_keys (tenant_id, version, master_key_version, wrapped_key, created_at) "
					+ "values (?, 99, 1, '\\x00', now())")
			.param(beta.value())
			.update())))
			.rootCause().hasMessageContaining("row-level security");

		assertThatThrownBy(() -> context.runAs(alpha, () -> transactions.executeWithoutResult(status -> jdbc
			.sql("update tenant_keys set tenant_id = ? where tenant_id = ?")
			.params(beta.value(), alpha.value())
			.update())))
			.rootCause().hasMessageContaining("row-level security");

		var touched = context.callAs(alpha, () -> transactions.execute(status -> jdbc
			.sql("update tenant_keys set created_at = now() where tenant_id = ?")
			.param(beta.value())
			.update()));
		assertThat(touched).as("rows of another tenant updated").isZero();
	}

	@Test
	void nativeSqlWithoutAScopeSeesNothingAndWritesNothing() {
		var visible = jdbc.sql("select count(*) from tenant_keys").query(Long.class).single();
		assertThat(visible).isZero();

		assertThatThrownBy(() -> jdbc
			.sql("insert into tenant_keys (tenant_id, version, master_key_version, wrapped_key, created_at) "
					+ "values (?, 99, 1, '\\x00', now())")
			.param(alpha.value())
			.update()).rootCause().hasMessageContaining("row-level security");
	}

	@Test
	void thePlatformScopeSeesTheRegistryButNoTenantsKeys() {
		var keys = context.callAsPlatform(() -> transactions.execute(status -> jdbc
			.sql("select count(*) from tenant_keys").query(Long.class).single()));
		assertThat(keys).isZero();
		var registry = context.callAsPlatform(() -> transactions.execute(status -> jdbc
			.sql("select count(*) from tenants where id in (?, ?)").params(alpha.value(), beta.value())
			.query(Long.class)
			.single()));
		assertThat(registry).isEqualTo(2);
	}

	@Test
	void backgroundWorkMustChooseATenantOrFail() {
		assertThatThrownBy(() -> cipher.encrypt(SecretPurpose.of("test.secret"), "x"))
			.isInstanceOf(NoTenantBoundException.class);
		assertThatThrownBy(() -> tenants.find(alpha)).isInstanceOf(NoTenantBoundException.class);

		var chosen = context.callAs(alpha, () -> tenants.find(alpha));
		assertThat(chosen).isPresent();
	}
}

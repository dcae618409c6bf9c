package io.voxdesk.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.SecretDecryptionException;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.tenants.TestTenants;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What is stored: the SIP password as the tenant's ciphertext only, useless in another tenant's row, and the
 * calls module's old {@code agent_extensions} rows carried over by the real Liquibase changelog.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class ExtensionStorageTests {

	@Autowired
	ExtensionManagement extensions;

	@Autowired
	ExtensionWorkflow workflow;

	@Autowired
	SecretCipher cipher;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TenantId acme;

	TenantId globex;

	UserId ana = UserId.of(UUID.randomUUID().toString());

	UserId gustavo = UserId.of(UUID.randomUUID().toString());

	@BeforeEach
	void tenants() {
		var testTenants = new TestTenants(tenants, context);
		acme = testTenants.create("a", "Acme");
		globex = testTenants.create("g", "Globex");
	}

	static ExtensionDraft draft(String extension, String password) {
		return new ExtensionDraft(extension, password, null, "pbx.example.com", "wss://pbx.example.com:8089/ws", null,
				true);
	}

	String storedPassword(TenantId tenant, UserId user) {
		return context.callAs(tenant, () -> transactions.execute(status -> jdbc
			.sql("select password from extensions where user_id = ?")
			.param(user.value())
			.query(String.class)
			.single()));
	}

	@Test
	void thePasswordIsStoredAsTheTenantsCiphertextAndReachesOnlyItsOwnersWebphone() {
		context.runAs(acme, () -> extensions.save(ana, draft("1001", "ana-sip-secret")));

		var stored = storedPassword(acme, ana);
		assertThat(stored).doesNotContain("ana-sip-secret").startsWith("vx1:");
		assertThat(context.callAs(acme, () -> cipher.decrypt(ExtensionWorkflow.PASSWORD, stored)))
			.isEqualTo("ana-sip-secret");
		assertThatThrownBy(() -> context.callAs(acme,
				() -> cipher.decrypt(SecretPurpose.of("asterisk.ari-password"), stored)))
			.as("bound to its purpose")
			.isInstanceOf(SecretDecryptionException.class);
		var webphone = context.callAs(acme, () -> workflow.webphone(ana, "Ana Acme"));
		assertThat(webphone.password()).isEqualTo("ana-sip-secret");
		assertThat(webphone.uri()).isEqualTo("sip:1001@pbx.example.com");
		assertThat(webphone.displayName()).as("the token's name when none was set").isEqualTo("Ana Acme");
		assertThat(webphone.toString()).doesNotContain("ana-sip-secret");
	}

	/**
	 * The attack: someone able to write globex's rows (a SQL injection in globex's scope, a restored backup) copies
	 * acme's stored password into globex's row to read it through globex's webphone. The ciphertext is bound to
	 * acme and sealed under acme's data key, so globex gets an error, never the password.
	 */
	@Test
	void aPasswordCopiedIntoAnotherTenantsRowDoesNotDecryptThere() {
		context.runAs(acme, () -> extensions.save(ana, draft("1001", "ana-sip-secret")));
		context.runAs(globex, () -> extensions.save(gustavo, draft("1001", "gustavo-sip-secret")));
		var acmeCiphertext = storedPassword(acme, ana);

		var copied = context.callAs(globex, () -> transactions.execute(status -> jdbc
			.sql("update extensions set password = ? where user_id = ?")
			.params(acmeCiphertext, gustavo.value())
			.update()));

		assertThat(copied).isEqualTo(1);
		assertThatThrownBy(() -> context.callAs(globex, () -> workflow.webphone(gustavo, "Gustavo")))
			.isInstanceOf(SecretDecryptionException.class)
			.hasMessageNotContaining("ana-sip-secret");
		assertThatThrownBy(() -> context.callAs(globex, () -> cipher.decrypt(ExtensionWorkflow.PASSWORD, acmeCiphertext)))
			.isInstanceOf(SecretDecryptionException.class);
		assertThat(context.callAs(acme, () -> workflow.webphone(ana, "Ana")).password()).isEqualTo("ana-sip-secret");
	}

	@Test
	void rowLevelSecurityHidesAnotherTenantsExtensionsFromPlainSql() {
		context.runAs(acme, () -> extensions.save(ana, draft("1001", "ana-sip-secret")));

		var seen = context.callAs(globex, () -> transactions.execute(status -> jdbc
			.sql("select count(*) from extensions where user_id = ?")
			.param(ana.value())
			.query(Long.class)
			.single()));

		assertThat(seen).isZero();
	}

	/**
	 * Runs the real master changelog into a schema of its own up to the last change before this module's, seeds
	 * the calls module's {@code agent_extensions} as it was, applies the rest, and checks every row moved.
	 */
	@Test
	void theRowsOfTheCallsModulesAgentExtensionsMoveIntoExtensions() throws Exception {
		var schema = "migration_" + UUID.randomUUID().toString().substring(0, 8);
		var at = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
		try (var owner = TestDatabase.get().ownerConnection()) {
			execute(owner, "CREATE SCHEMA " + schema);
			try {
				// public comes second for the pg_trgm operator classes the contacts changelog uses.
				execute(owner, "SET search_path TO " + schema + ", public");
				var database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(owner));
				database.setDefaultSchemaName(schema);
				var liquibase = new Liquibase("db/changelog/db.changelog-master.yaml", new ClassLoaderResourceAccessor(),
						database);
				var changeSets = liquibase.getDatabaseChangeLog().getChangeSets();
				var before = 0;
				while (!changeSets.get(before).getId().startsWith("extensions-")) {
					before++;
				}
				liquibase.update(before, new Contexts(), new LabelExpression());
				try (var seed = owner.prepareStatement(
						"insert into agent_extensions (tenant_id, user_id, extension, active, updated_at) values (?, ?, ?, ?, ?)")) {
					for (var row : List.of(new OldRow("acme", "u-ana", "1001", true), new OldRow("acme", "u-bob", "1002", false),
							new OldRow("globex", "u-gus", "1001", true))) {
						seed.setString(1, row.tenant());
						seed.setString(2, row.user());
						seed.setString(3, row.extension());
						seed.setBoolean(4, row.active());
						seed.setObject(5, at);
						seed.addBatch();
					}
					seed.executeBatch();
				}

				liquibase.update(new Contexts(), new LabelExpression());

				var moved = new ArrayList<String>();
				try (var statement = owner.createStatement(); var rows = statement.executeQuery("""
						select tenant_id, user_id, extension, username, active, updated_at, password, domain,
						       websocket_url, display_name, version
						  from extensions order by tenant_id, user_id""")) {
					while (rows.next()) {
						moved.add(String.join("|", rows.getString(1), rows.getString(2), rows.getString(3),
								rows.getString(4), String.valueOf(rows.getBoolean(5)),
								rows.getObject(6, OffsetDateTime.class).toInstant().toString(),
								String.valueOf(rows.getString(7)), String.valueOf(rows.getString(8)),
								String.valueOf(rows.getString(9)), String.valueOf(rows.getString(10)),
								String.valueOf(rows.getLong(11))));
					}
				}
				assertThat(moved).containsExactly(
						"acme|u-ana|1001|1001|true|2026-01-02T03:04:05Z|null|null|null|null|0",
						"acme|u-bob|1002|1002|false|2026-01-02T03:04:05Z|null|null|null|null|0",
						"globex|u-gus|1001|1001|true|2026-01-02T03:04:05Z|null|null|null|null|0");
				try (var statement = owner.createStatement();
						var rows = statement.executeQuery("select to_regclass('" + schema + ".agent_extensions')")) {
					rows.next();
					assertThat(rows.getString(1)).as("the old table is gone").isNull();
				}
			}
			finally {
				execute(owner, "SET search_path TO public");
				execute(owner, "DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	/** A row of the calls module's {@code agent_extensions}, as click-to-call's minimal settings stored it. */
	record OldRow(String tenant, String user, String extension, boolean active) {
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (var statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;

import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.TestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Attacks on tenant isolation through the public API and the identity provider. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TenantIsolationTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	@BeforeEach
	void demoTenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
	}

	@Test
	void aTenantAdminReadingAnotherTenantsObjectByIdGets404() {
		var globexEntry = firstAuditEntryId("globex-admin");
		var acmeEntry = firstAuditEntryId("acme-admin");

		var attack = api.get("acme-admin", "/api/audit-entries/" + globexEntry);
		assertThat(attack.status()).isEqualTo(404);
		assertThat(attack.isProblem()).isTrue();
		assertThat(attack.body()).doesNotContain("globex");

		assertThat(api.get("globex-admin", "/api/audit-entries/" + globexEntry).status()).isEqualTo(200);
		assertThat(api.get("platform", "/api/audit-entries/" + globexEntry).status()).isEqualTo(200);
		assertThat(api.get("platform", "/api/audit-entries/" + acmeEntry).status()).isEqualTo(200);
	}

	@Test
	void aTenantAdminAskingForAnotherTenantsListGetsNothingOfIt() {
		firstAuditEntryId("globex-admin");

		var attack = api.get("acme-admin", "/api/audit-entries?tenantId=globex");
		assertThat(attack.status()).isEqualTo(200);
		assertThat(attack.json().path("content").size()).isZero();

		var own = api.get("acme-admin", "/api/audit-entries?size=200");
		assertThat(own.json().path("content").valueStream().map(e -> e.path("tenantId").asString()))
			.isNotEmpty()
			.containsOnly("acme");
	}

	/**
	 * Reads are confined to the tenant by PostgreSQL alone (Hibernate's tenant filter is off in transactions, see
	 * {@code RowSecuredJpaDialect}): a table with a tenant column but no policy would show every tenant's rows to
	 * anyone. Every such table, of every module, must have row-level security on and a policy.
	 */
	@Test
	void everyTableWithATenantColumnIsUnderRowLevelSecurity() throws Exception {
		var unprotected = new ArrayList<String>();
		var tables = new ArrayList<String>();
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement();
				var rows = statement.executeQuery("""
						select c.relname, c.relrowsecurity, (select count(*) from pg_policy p where p.polrelid = c.oid)
						from pg_class c
						join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
						join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
						where c.relkind in ('r', 'p')
						""")) {
			while (rows.next()) {
				tables.add(rows.getString(1));
				if (!rows.getBoolean(2) || rows.getLong(3) == 0) {
					unprotected.add(rows.getString(1));
				}
			}
		}
		assertThat(tables).as("tenant tables found").contains("contacts", "calls", "tickets", "ticket_timeline");
		assertThat(unprotected).as("tenant tables without row-level security or a policy").isEmpty();
	}

	@Test
	void agentsCannotReadTheAuditLog() {
		assertThat(api.get("acme-agent", "/api/audit-entries").status()).isEqualTo(403);
	}

	@Test
	void usersCannotMoveThemselvesToAnotherTenantThroughKeycloak() throws Exception {
		var token = KeycloakTestServer.token("globex-agent").path("access_token").asString();
		var profile = """
				{"username":"globex-agent","email":"globex-agent@demo.voxdesk.io","firstName":"Gustavo",
				 "lastName":"Globex","attributes":{"tenant_id":["acme"]}}""";
		var attempt = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(KeycloakTestServer.issuer() + "/account/"))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(profile))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(attempt.statusCode()).isEqualTo(400);
		assertThat(attempt.body()).contains("error-user-attribute-read-only");
		var fresh = KeycloakTestServer.post(KeycloakTestServer.issuer() + "/protocol/openid-connect/token",
				java.util.Map.of("grant_type", "password", "client_id", "voxdesk-web", "username", "globex-agent",
						"password", KeycloakTestServer.DEMO_PASSWORD));
		var me = api.withToken(fresh.path("access_token").asString(), "/api/tenants/me");
		assertThat(me.json().path("tenant").path("id").asString()).isEqualTo("globex");
	}

	private String firstAuditEntryId(String tenantAdmin) {
		return await().atMost(Duration.ofSeconds(10)).until(() -> {
			var content = api.get(tenantAdmin, "/api/audit-entries").json().path("content");
			return content.isEmpty() ? null : content.get(0).path("id").asString();
		}, id -> id != null);
	}
}

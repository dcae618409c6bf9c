package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The tenants REST API over real HTTP with real Keycloak tokens. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TenantApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	@BeforeEach
	void demoTenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("initech");
	}

	@Test
	void platformAdminCreatesReadsAndListsTenants() {
		var id = TestTenants.freshId("t").value();

		var created = api.post("platform", "/api/tenants", "{\"id\":\"" + id + "\",\"name\":\"  Tyrell Corp \"}");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().path("name").asString()).isEqualTo("Tyrell Corp");
		assertThat(created.json().path("status").asString()).isEqualTo("ACTIVE");

		var read = api.get("platform", "/api/tenants/" + id);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().path("id").asString()).isEqualTo(id);

		var listed = api.get("platform", "/api/tenants?size=200");
		assertThat(listed.json().path("content").valueStream().map(t -> t.path("id").asString())).contains(id, "acme");
	}

	@Test
	void aTenantIdIsTakenOnlyOnce() {
		var again = api.post("platform", "/api/tenants", "{\"id\":\"acme\",\"name\":\"Acme again\"}");

		assertThat(again.status()).isEqualTo(409);
		assertThat(again.isProblem()).isTrue();
		assertThat(again.detail()).contains("'acme' exists already");
	}

	@Test
	void unknownAndMalformedTenantIdsAreProblems() {
		var unknown = api.get("platform", "/api/tenants/no-such-tenant");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.isProblem()).isTrue();
		assertThat(unknown.detail()).isEqualTo("There is no tenant 'no-such-tenant'.");

		var malformed = api.get("platform", "/api/tenants/NOT_AN_ID");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.detail()).contains("is not a tenant id");
	}

	@Test
	void badInputIsRefusedWithAProblemNamingTheFields() {
		var invalid = api.post("platform", "/api/tenants", "{\"id\":\"Bad Id!\",\"name\":\"\"}");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.isProblem()).isTrue();
		assertThat(invalid.json().path("errors").valueStream().map(e -> e.path("field").asString()))
			.containsExactlyInAnyOrder("id", "name");

		var oversized = api.post("platform", "/api/tenants", "{\"id\":\"ok-id\",\"name\":\"" + "x".repeat(201) + "\"}");
		assertThat(oversized.status()).isEqualTo(400);
		assertThat(oversized.detail()).contains("name size must be between 0 and 200");

		var malformedJson = api.post("platform", "/api/tenants", "{\"id\": \"x\",");
		assertThat(malformedJson.status()).isEqualTo(400);
		assertThat(malformedJson.detail()).contains("not valid JSON");

		var wrongType = api.post("platform", "/api/tenants", "{\"id\": [1], \"name\": {}}");
		assertThat(wrongType.status()).isEqualTo(400);
		assertThat(wrongType.isProblem()).isTrue();

		assertThat(api.get("platform", "/api/tenants/ok-id").status()).as("nothing was created").isEqualTo(404);
	}

	@Test
	void aRequestWithoutAValidTokenIsA401Problem() {
		var anonymous = api.get(null, "/api/tenants/me");
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.isProblem()).isTrue();
		assertThat(anonymous.detail()).contains("Authorization: Bearer");

		var forged = api.withToken("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "/api/tenants/me");
		assertThat(forged.status()).isEqualTo(401);
		assertThat(forged.detail()).startsWith("Your access token was refused");
	}

	@Test
	void aTokenIssuedForAnotherAudienceIsRefused() {
		var response = KeycloakTestServer.post(KeycloakTestServer.issuer() + "/protocol/openid-connect/token",
				java.util.Map.of("grant_type", "password", "client_id", "other-app", "username", "acme-admin",
						"password", KeycloakTestServer.DEMO_PASSWORD));

		var refused = api.withToken(response.path("access_token").asString(), "/api/tenants/me");

		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.detail()).contains("not meant for Voxdesk");
	}

	@Test
	void onlyPlatformAdminsManageTenants() {
		var create = api.post("acme-admin", "/api/tenants", "{\"id\":\"sneaky\",\"name\":\"Sneaky\"}");
		assertThat(create.status()).isEqualTo(403);
		assertThat(create.isProblem()).isTrue();
		assertThat(create.detail()).isEqualTo("Your roles do not allow this action.");

		assertThat(api.get("acme-agent", "/api/tenants").status()).isEqualTo(403);
		assertThat(api.postEmpty("acme-admin", "/api/tenants/acme/deactivate").status()).isEqualTo(403);
		assertThat(api.get("platform", "/api/tenants/sneaky").status()).isEqualTo(404);
	}

	@Test
	void everyUserReadsTheirOwnTenant() {
		var me = api.get("acme-admin", "/api/tenants/me");

		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().path("username").asString()).isEqualTo("acme-admin");
		assertThat(me.json().path("tenant").path("id").asString()).isEqualTo("acme");
		assertThat(me.json().path("roles").valueStream().map(r -> r.asString())).containsExactly("agent", "tenant-admin");
	}

	@Test
	void aTokenWithoutOrWithAnUnknownTenantIsA403Problem() {
		var tenantless = api.get("nobody", "/api/tenants/me");
		assertThat(tenantless.status()).isEqualTo(403);
		assertThat(tenantless.isProblem()).isTrue();
		assertThat(tenantless.detail()).contains("not assigned to a tenant");

		var unknown = api.get("stranger", "/api/tenants/me");
		assertThat(unknown.status()).isEqualTo(403);
		assertThat(unknown.detail()).contains("tenant 'umbrella', which Voxdesk does not know");
	}

	@Test
	void aDeactivatedTenantsUsersAreRefusedUntilItIsReactivated() {
		assertThat(api.get("initech-admin", "/api/tenants/me").status()).isEqualTo(200);

		var deactivated = api.postEmpty("platform", "/api/tenants/initech/deactivate");
		assertThat(deactivated.json().path("status").asString()).isEqualTo("DEACTIVATED");

		var refused = api.get("initech-admin", "/api/tenants/me");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.isProblem()).isTrue();
		assertThat(refused.detail()).isEqualTo("Tenant 'initech' is deactivated. Ask your platform operator.");

		api.postEmpty("platform", "/api/tenants/initech/reactivate");
		assertThat(api.get("initech-admin", "/api/tenants/me").status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api
			.get("platform", "/api/audit-entries?tenantId=initech&size=200")
			.json()
			.path("content")
			.valueStream()
			.map(e -> e.path("action").asString() + " by " + e.path("actor").path("username").asString()))
			.contains("tenant.deactivated by platform", "tenant.reactivated by platform"));
	}

	@Test
	void platformAdminRewrapsDataKeysAfterAMasterKeyRotation() {
		api.postEmpty("platform", "/api/tenants/acme/key-rotation");

		var report = api.postEmpty("platform", "/api/tenants/master-key-rewrap");

		assertThat(report.status()).isEqualTo(200);
		assertThat(report.json().path("tenants").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(report.json().path("keysRewrapped").asInt()).as("all keys are already under the active key").isZero();
		assertThat(api.postEmpty("acme-admin", "/api/tenants/master-key-rewrap").status()).isEqualTo(403);
	}

	@Test
	void platformAdminRotatesATenantsDataKey() {
		var rotated = api.postEmpty("platform", "/api/tenants/acme/key-rotation");

		assertThat(rotated.status()).isEqualTo(200);
		assertThat(rotated.json().path("keyVersion").asInt()).isPositive();
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.voxdesk.testing.KeycloakTestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Service accounts against the real Keycloak: a tenant admin creates one (Voxdesk makes the client through Keycloak's
 * admin API), sees its secret once, and the host's server gets tokens with the client credentials grant. Each attack
 * is written out: the account's token reaching into another tenant, calling a person's endpoints, minting more
 * accounts; another tenant's admin touching the account; a rotated or deleted secret still used.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ServiceAccountApiTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	VoxdeskApi api;

	final List<String> created = new ArrayList<>();

	@BeforeEach
	void api() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
	}

	@AfterEach
	void deleteTheClientsInKeycloak() {
		for (var id : created) {
			api.delete("acme-admin", "/api/service-accounts/" + id);
		}
	}

	JsonNode create(String name, String... roles) {
		var answer = api.post("acme-admin", "/api/service-accounts", """
				{"name": "%s", "roles": [%s]}""".formatted(name,
				String.join(", ", List.of(roles).stream().map(role -> "\"" + role + "\"").toList())));
		assertThat(answer.status()).as(answer.body()).isEqualTo(201);
		created.add(answer.json().path("account").path("id").asString());
		return answer.json();
	}

	/** A request sent exactly as written (escapes kept), as an attacker's client would. */
	java.net.http.HttpResponse<String> raw(String token, String method, String path) {
		try (var http = java.net.http.HttpClient.newHttpClient()) {
			return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(
						"{\"extension\": \"1099\", \"active\": true, \"password\": \"sneaky-pass-1\"}"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	static JsonNode claims(String token) {
		return JSON.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
	}

	@Test
	void anAdminCreatesAServiceAccountWhoseTokenActsInItsTenantOnly() throws Exception {
		var account = create("CRM sync", "agent");
		var clientId = account.path("account").path("clientId").asString();
		var secret = account.path("secret").asString();
		assertThat(clientId).startsWith("voxdesk-sa-acme-");
		assertThat(secret).hasSizeGreaterThanOrEqualTo(20);
		assertThat(account.path("account").path("tokenUrl").asString())
			.isEqualTo(KeycloakTestServer.issuer() + "/protocol/openid-connect/token");
		var id = account.path("account").path("id").asString();
		assertThat(api.get("acme-admin", "/api/service-accounts/" + id).body()).as("the secret is shown once")
			.contains(clientId)
			.doesNotContain(secret);
		assertThat(api.get("acme-admin", "/api/service-accounts").body()).contains(clientId).doesNotContain(secret);

		var token = KeycloakTestServer.clientToken(clientId, secret);
		var claims = claims(token);
		assertThat(claims.path("tenant_id").asString()).isEqualTo("acme");
		assertThat(claims.path("voxdesk_service_account").asBoolean()).isTrue();
		assertThat(claims.path("realm_access").path("roles").toString()).contains("\"agent\"").doesNotContain("tenant-admin");

		// It works in its tenant: a contact and a ticket, as the host's server would open them.
		var contact = api.postWithToken(token, "/api/contacts", "{\"name\": \"Server Customer\"}");
		assertThat(contact.status()).as(contact.body()).isEqualTo(201);
		var ticket = api.postWithToken(token, "/api/tickets", "{\"subject\": \"Opened by the CRM\", \"contactId\": \"%s\"}"
			.formatted(contact.json().path("id").asString()));
		assertThat(ticket.status()).as(ticket.body()).isEqualTo(201);
		var ticketId = ticket.json().path("id").asString();
		assertThat(ticket.json().path("status").asString()).as("no person took it yet").isEqualTo("pending");
		assertThat(api.get("acme-admin", "/api/tickets/" + ticketId).status()).isEqualTo(200);
		// It sees the tenant's tickets, not only its own (it owns none): an agent's ticket too.
		var agentsTicket = api.post("acme-agent", "/api/tickets", "{\"subject\": \"An agent's own\", \"contactId\": \"%s\"}"
			.formatted(contact.json().path("id").asString())).json().path("id").asString();
		assertThat(api.withToken(token, "/api/tickets/" + agentsTicket).status()).isEqualTo(200);

		// The attack: the account reads another tenant's ticket by its id, and looks for it in lists.
		var globexContact = api.post("globex-agent", "/api/contacts", "{\"name\": \"Globex Customer\"}").json().path("id").asString();
		var globexTicket = api.post("globex-agent", "/api/tickets", "{\"subject\": \"Globex only\", \"contactId\": \"%s\"}"
			.formatted(globexContact)).json().path("id").asString();
		assertThat(api.withToken(token, "/api/tickets/" + globexTicket).status()).isEqualTo(404);
		assertThat(api.withToken(token, "/api/contacts/" + globexContact).status()).isEqualTo(404);
		assertThat(api.withToken(token, "/api/tickets?size=200").body()).doesNotContain(globexTicket).doesNotContain("Globex only");

		// The attack: a person's endpoints (extension, webphone, presence) called with the account's token, to make
		// itself an agent who is rung; also spelled with escaped letters, which the application decodes.
		for (var path : List.of("/api/me/webphone", "/api/me/extension", "/api/me/presence", "/api/m%65/webphone",
				"/%61pi/me/extension", "/api/me/%65xtension")) {
			var refused = raw(token, "GET", path);
			assertThat(refused.statusCode()).as(path).isEqualTo(403);
			assertThat(refused.body()).as(path).contains("service account");
		}
		for (var path : List.of("/API/me/webphone", "/api/me/webphone/", "/api//me/webphone", "/api/me;x=1/webphone")) {
			var refused = raw(token, "GET", path);
			assertThat(refused.statusCode()).as(path).isIn(400, 403, 404);
			assertThat(refused.body()).as(path).doesNotContain("\"extension\":").doesNotContain("sipPassword");
		}
		var escaped = raw(token, "PUT", "/api/m%65/extension");
		assertThat(escaped.statusCode()).isEqualTo(403);
		assertThat(escaped.body()).contains("service account");
		// The roles it was given and no more: webhooks and the tenant-wide live feeds are for tenant admins.
		assertThat(api.withToken(token, "/api/webhooks").status()).isEqualTo(403);
		try (var feed = StompFeed.connectWithToken(port, token)) {
			feed.subscribe("/topic/tenants/acme/calls");
			await().untilAsserted(() -> assertThat(feed.errors).isNotEmpty());
			assertThat(String.join(" ", feed.errors)).contains("tenant admin");
		}
		// It is no member of the tenant: it never shows among the people an admin can put in a queue.
		assertThat(api.get("acme-admin", "/api/tenants/me/members").body()).doesNotContain(clientId);
	}

	@Test
	void aServiceAccountWithTheAdminRoleCannotMakeOrRotateServiceAccounts() {
		var account = create("CRM admin tasks", "tenant-admin");
		var id = account.path("account").path("id").asString();
		var token = KeycloakTestServer.clientToken(account.path("account").path("clientId").asString(),
				account.path("secret").asString());
		assertThat(api.withToken(token, "/api/webhooks").status()).as("its role works").isEqualTo(200);
		assertThat(api.withToken(token, "/api/service-accounts").status()).isEqualTo(200);

		// The attack: a leaked secret turned into more secrets, or into a fresh one for itself.
		var minted = api.postWithToken(token, "/api/service-accounts", "{\"name\": \"Backdoor\", \"roles\": [\"tenant-admin\"]}");
		assertThat(minted.status()).isEqualTo(403);
		assertThat(minted.detail()).contains("service account cannot create");
		assertThat(api.postWithToken(token, "/api/service-accounts/" + id + "/secret", "").status()).isEqualTo(403);
		assertThat(api.deleteWithToken(token, "/api/service-accounts/" + id).status()).isEqualTo(403);
		assertThat(api.get("acme-admin", "/api/service-accounts").json().valueStream()
			.filter(a -> a.path("name").asString().equals("Backdoor"))).isEmpty();
	}

	@Test
	void aRotatedOrDeletedSecretGetsNoMoreTokensAndEachStepIsAudited() {
		var account = create("Rotating", "agent");
		var id = account.path("account").path("id").asString();
		var clientId = account.path("account").path("clientId").asString();
		var first = account.path("secret").asString();
		KeycloakTestServer.clientToken(clientId, first);

		var rotated = api.postEmpty("acme-admin", "/api/service-accounts/" + id + "/secret");
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
		var second = rotated.json().path("secret").asString();
		assertThat(second).isNotEqualTo(first);
		assertThatThrownBy(() -> KeycloakTestServer.clientToken(clientId, first)).hasMessageContaining("401");
		var token = KeycloakTestServer.clientToken(clientId, second);
		assertThat(api.withToken(token, "/api/tickets").status()).isEqualTo(200);

		assertThat(api.delete("acme-admin", "/api/service-accounts/" + id).status()).isEqualTo(204);
		created.remove(id);
		assertThatThrownBy(() -> KeycloakTestServer.clientToken(clientId, second)).hasMessageContaining("401");
		assertThat(api.get("acme-admin", "/api/service-accounts/" + id).status()).isEqualTo(404);

		await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200")
			.json()
			.path("content")
			.valueStream()
			.filter(entry -> entry.path("targetId").asString().equals(id))
			.map(entry -> entry.path("action").asString() + " by " + entry.path("actor").path("username").asString()))
			.containsExactlyInAnyOrder("service-account.created by acme-admin", "service-account.secret-rotated by acme-admin",
					"service-account.deleted by acme-admin"));
	}

	@Test
	void whatAServiceAccountDoesIsAuditedByItsClientId() {
		var account = create("Audited", "tenant-admin");
		var clientId = account.path("account").path("clientId").asString();
		var token = KeycloakTestServer.clientToken(clientId, account.path("secret").asString());
		var endpoint = api.postWithToken(token, "/api/webhooks", """
				{"url": "http://127.0.0.1:9/voxdesk", "eventTypes": ["ticket.created"], "enabled": false}""");
		assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
		var endpointId = endpoint.json().path("endpoint").path("id").asString();
		await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200")
			.json()
			.path("content")
			.valueStream()
			.filter(entry -> entry.path("targetId").asString().equals(endpointId))
			.map(entry -> entry.path("action").asString() + " by " + entry.path("actor").path("username").asString()))
			.containsExactly("webhook-endpoint.created by " + clientId));
		api.delete("acme-admin", "/api/webhooks/" + endpointId);
	}

	@Test
	void anotherTenantsAdminAndAnAgentCannotTouchTheAccount() {
		var account = create("Acme only", "agent");
		var id = account.path("account").path("id").asString();
		var clientId = account.path("account").path("clientId").asString();
		// The attack: globex's admin guesses acme's account id and reads, rotates and deletes it.
		assertThat(api.get("globex-admin", "/api/service-accounts/" + id).status()).isEqualTo(404);
		assertThat(api.postEmpty("globex-admin", "/api/service-accounts/" + id + "/secret").status()).isEqualTo(404);
		assertThat(api.delete("globex-admin", "/api/service-accounts/" + id).status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/service-accounts").body()).doesNotContain(clientId);
		assertThat(api.get("acme-admin", "/api/service-accounts/" + id).status()).as("still there").isEqualTo(200);
		// Agents cannot manage them at all.
		assertThat(api.post("acme-agent", "/api/service-accounts", "{\"name\": \"Mine\", \"roles\": [\"agent\"]}").status())
			.isEqualTo(403);
		assertThat(api.get("acme-agent", "/api/service-accounts").status()).isEqualTo(403);
	}

	@Test
	void badInputGetsAProblemThatSaysWhatIsWrong() {
		// The attack: a tenant admin asking for the platform operator's role.
		var platform = api.post("acme-admin", "/api/service-accounts", "{\"name\": \"Escalate\", \"roles\": [\"platform-admin\"]}");
		assertThat(platform.status()).isEqualTo(400);
		assertThat(platform.detail()).contains("agent and tenant-admin only").contains("platform-admin");
		var none = api.post("acme-admin", "/api/service-accounts", "{\"name\": \"No roles\", \"roles\": []}");
		assertThat(none.status()).isEqualTo(400);
		assertThat(none.isProblem()).isTrue();
		var nameless = api.post("acme-admin", "/api/service-accounts", "{\"name\": \" \", \"roles\": [\"agent\"]}");
		assertThat(nameless.status()).isEqualTo(400);
		assertThat(nameless.body()).contains("name");
		assertThat(api.post("acme-admin", "/api/service-accounts", "{not json").status()).isEqualTo(400);
		assertThat(api.get("acme-admin", "/api/service-accounts/not-a-uuid").status()).isEqualTo(400);
		assertThat(api.get("acme-admin", "/api/service-accounts").json().valueStream()
			.filter(a -> a.path("name").asString().equals("Escalate"))).as("nothing was made").isEmpty();
	}
}

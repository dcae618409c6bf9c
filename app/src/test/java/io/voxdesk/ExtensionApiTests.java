package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;

import io.voxdesk.testing.KeycloakTestServer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;

/**
 * Personal extensions end to end, with real HTTP and Keycloak tokens: the owner's own extension and webphone
 * settings, what other users of the tenant and of other tenants can (not) see or change, the admin list, bad
 * input, conflicts, and the defaults the provider connection suggests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ExtensionApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	/** Fresh per test, so a password found anywhere it should not be came from this test. */
	String agentPassword = "sip-" + UUID.randomUUID();

	String adminPassword = "sip-" + UUID.randomUUID();

	String globexPassword = "sip-" + UUID.randomUUID();

	@BeforeEach
	void tenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
		api.ensureActiveTenant("initech");
	}

	static String extension(String number, String password, String displayName, boolean active) {
		return """
				{"extension": "%s", "password": "%s", "username": "%s", "domain": "pbx.acme.example",
				 "websocketUrl": "wss://pbx.acme.example:8089/ws", "displayName": "%s", "active": %s}"""
			.formatted(number, password, number, displayName, active);
	}

	VoxdeskApi.Response put(String user, String body) {
		var response = api.put(user, "/api/me/extension", body);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response;
	}

	/** The webphone settings with the response's {@code Cache-Control}, which {@link VoxdeskApi} does not keep. */
	record Webphone(int status, String cacheControl, String body) {
	}

	Webphone webphone(String user) {
		return RestClient.create("http://127.0.0.1:" + port)
			.get()
			.uri("/api/me/webphone")
			.header("Authorization", "Bearer " + KeycloakTestServer.accessToken(user))
			.exchange((request, response) -> new Webphone(response.getStatusCode().value(),
					String.valueOf(response.getHeaders().getCacheControl()), new String(response.getBody().readAllBytes())));
	}

	@Test
	void theOwnerSetsTheirExtensionAndReadsItBackWithoutThePassword() {
		var saved = put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", true));

		assertThat(saved.body()).doesNotContain(agentPassword).doesNotContain("\"password\"");
		assertThat(saved.json().path("passwordSet").asBoolean()).isTrue();
		var mine = api.get("acme-agent", "/api/me/extension");
		assertThat(mine.status()).isEqualTo(200);
		assertThat(mine.body()).doesNotContain(agentPassword).doesNotContain("\"password\"");
		assertThat(mine.json().path("extension").asString()).isEqualTo("1001");
		assertThat(mine.json().path("username").asString()).isEqualTo("1001");
		assertThat(mine.json().path("domain").asString()).isEqualTo("pbx.acme.example");
		assertThat(mine.json().path("websocketUrl").asString()).isEqualTo("wss://pbx.acme.example:8089/ws");
		assertThat(mine.json().path("displayName").asString()).isEqualTo("Artur (Acme)");
		assertThat(mine.json().path("active").asBoolean()).isTrue();
		assertThat(mine.json().path("updatedAt").asString()).isNotBlank();

		var minimal = put("acme-agent", "{\"extension\": \"1001\", \"active\": true}");
		assertThat(minimal.json().path("passwordSet").asBoolean()).as("the body click-to-call's settings send keeps the password")
			.isTrue();
		put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", true));
		assertThat(api.get("acme-agent", "/api/me/extension").json().path("displayName").asString())
			.isEqualTo("Artur (Acme)");
	}

	@Test
	void theWebphoneSettingsCarryThePasswordToTheirOwnerOnlyAndAreNotCached() {
		put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", true));
		put("acme-admin", extension("1000", adminPassword, "Ana (Acme)", true));

		var own = webphone("acme-agent");
		assertThat(own.status()).as(own.body()).isEqualTo(200);
		assertThat(own.cacheControl()).contains("no-store");
		var settings = new VoxdeskApi.Response(own.status(), "application/json", own.body()).json();
		assertThat(settings.path("password").asString()).isEqualTo(agentPassword);
		assertThat(settings.path("uri").asString()).isEqualTo("sip:1001@pbx.acme.example");
		assertThat(settings.path("authorizationUser").asString()).isEqualTo("1001");
		assertThat(settings.path("realm").asString()).isEqualTo("pbx.acme.example");
		assertThat(settings.path("websocketUrl").asString()).isEqualTo("wss://pbx.acme.example:8089/ws");
		assertThat(settings.path("displayName").asString()).isEqualTo("Artur (Acme)");
		assertThat(settings.path("extension").asString()).isEqualTo("1001");

		var colleague = webphone("acme-admin");
		assertThat(colleague.status()).isEqualTo(200);
		assertThat(colleague.body()).as("a colleague, even an admin, only ever gets their own")
			.contains(adminPassword)
			.contains("\"extension\":\"1000\"")
			.doesNotContain(agentPassword);
		var foreign = webphone("globex-agent");
		assertThat(foreign.body()).doesNotContain(agentPassword).doesNotContain(adminPassword);

		var list = api.get("acme-admin", "/api/extensions");
		assertThat(list.status()).as(list.body()).isEqualTo(200);
		assertThat(list.body()).doesNotContain(agentPassword).doesNotContain(adminPassword).doesNotContain("\"password\"");
		assertThat(list.json().valueStream().map(item -> item.path("extension").asString() + ":"
				+ item.path("passwordSet").asBoolean() + ":" + item.path("active").asBoolean()))
			.contains("1000:true:true", "1001:true:true");
		assertThat(list.json().valueStream().map(item -> item.path("user").asString()))
			.allSatisfy(user -> assertThat(user).isNotBlank());

		var refused = api.get("acme-agent", "/api/extensions");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.isProblem()).isTrue();

		await().untilAsserted(() -> {
			var audit = api.get("acme-admin", "/api/audit-entries?size=200");
			assertThat(audit.body()).doesNotContain(agentPassword).doesNotContain(adminPassword);
			assertThat(audit.json().path("content").valueStream()
				.filter(entry -> entry.path("targetType").asString().equals("extension"))
				.map(entry -> entry.path("summary").asString()))
				.as("acme-admin's extension, created or given a new password above")
				.containsAnyOf("extension 1000 created", "extension 1000 password changed");
		});
	}

	/**
	 * The attack: a globex user takes acme-agent's extension number and reads everything they can. Numbers are
	 * unique per tenant only, so globex gets its own 1001, and nothing of acme's moves or shows.
	 */
	@Test
	void anotherTenantsUserGetsAnIndependentExtensionWithTheSameNumberAndNothingOfOurs() {
		put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", true));
		var before = api.get("acme-agent", "/api/me/extension").body();

		var globex = put("globex-agent", extension("1001", globexPassword, "Gustavo (Globex)", true));

		try {
			assertThat(globex.json().path("displayName").asString()).isEqualTo("Gustavo (Globex)");
			assertThat(api.get("acme-agent", "/api/me/extension").body()).isEqualTo(before);
			assertThat(webphone("acme-agent").body()).contains(agentPassword).doesNotContain(globexPassword);
			assertThat(webphone("globex-agent").body()).contains(globexPassword).doesNotContain(agentPassword);
			var globexList = api.get("globex-admin", "/api/extensions");
			assertThat(globexList.status()).isEqualTo(200);
			assertThat(globexList.body()).doesNotContain("Artur (Acme)").doesNotContain(agentPassword);
			assertThat(api.get("acme-admin", "/api/extensions").body()).doesNotContain("Gustavo (Globex)");
		}
		finally {
			put("globex-agent", "{\"extension\": \"2001\", \"active\": true}");
		}
	}

	@Test
	void badInputIsAProblemNamingTheFieldAndChangesNothing() {
		put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", true));
		var before = api.get("acme-agent", "/api/me/extension").body();

		assertInvalid("{\"extension\": \"10 01\"}", "extension");
		assertInvalid("{\"extension\": \"1001;drop\"}", "extension");
		assertInvalid("{\"active\": true}", "extension");
		assertInvalid("{\"extension\": \"%s\"}".formatted("1".repeat(41)), "extension");
		assertInvalid("{\"extension\": \"1001\", \"websocketUrl\": \"ftp://pbx.acme.example/ws\"}", "websocketUrl");
		assertInvalid("{\"extension\": \"1001\", \"websocketUrl\": \"https://pbx.acme.example/ws\"}", "websocketUrl");
		assertInvalid("{\"extension\": \"1001\", \"websocketUrl\": \"wss://:8089/ws\"}", "websocketUrl");
		assertInvalid("{\"extension\": \"1001\", \"websocketUrl\": \"wss://pbx.acme.example/%s\"}".formatted("w".repeat(500)),
				"websocketUrl");
		assertInvalid("{\"extension\": \"1001\", \"domain\": \"pbx acme\"}", "domain");
		assertInvalid("{\"extension\": \"1001\", \"domain\": \"%s.example\"}".formatted("a".repeat(250)), "domain");
		assertInvalid("{\"extension\": \"1001\", \"displayName\": \"%s\"}".formatted("A".repeat(101)), "displayName");
		assertInvalid("{\"extension\": \"1001\", \"password\": \"%s\"}".formatted("p".repeat(129)), "password");
		assertInvalid("{\"extension\": \"1001\", \"username\": \"ana maria\"}", "username");

		var malformed = api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1001\", \"active\": tru");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.isProblem()).isTrue();
		assertThat(malformed.detail()).contains("not valid JSON");
		var wrongType = api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1001\", \"active\": \"maybe\"}");
		assertThat(wrongType.status()).isEqualTo(400);
		assertThat(wrongType.detail()).contains("active");

		assertThat(api.get("acme-agent", "/api/me/extension").body()).isEqualTo(before);
		assertThat(webphone("acme-agent").body()).contains(agentPassword);
	}

	void assertInvalid(String body, String field) {
		var refused = api.put("acme-agent", "/api/me/extension", body);
		assertThat(refused.status()).as(body + " -> " + refused.body()).isEqualTo(400);
		assertThat(refused.isProblem()).isTrue();
		assertThat(refused.json().path("errors").valueStream().map(error -> error.path("field").asString()))
			.as(refused.body())
			.contains(field);
		assertThat(refused.json().path("errors").valueStream().map(error -> error.path("message").asString()))
			.allSatisfy(message -> assertThat(message).isNotBlank());
	}

	@Test
	void anExtensionOfAnotherUserOfTheTenantIsAConflict() {
		put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", true));
		put("acme-admin", extension("1000", adminPassword, "Ana (Acme)", true));

		var taken = api.put("acme-admin", "/api/me/extension", "{\"extension\": \"1001\", \"active\": true}");

		assertThat(taken.status()).as(taken.body()).isEqualTo(409);
		assertThat(taken.isProblem()).isTrue();
		assertThat(taken.json().path("errors").path(0).path("field").asString()).isEqualTo("extension");
		assertThat(taken.detail()).contains("belongs to another user");
		assertThat(api.get("acme-admin", "/api/me/extension").json().path("extension").asString()).isEqualTo("1000");
	}

	@Test
	void anInactiveExtensionHasNoWebphoneAndNoExtensionIsNotFound() {
		put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", false));
		try {
			var inactive = webphone("acme-agent");
			assertThat(inactive.status()).isEqualTo(409);
			assertThat(inactive.body()).contains("inactive").doesNotContain(agentPassword);
			// The webphone tells its user the true reason by the problem's type, not by the status.
			assertThat(inactive.body()).contains("\"type\":\"urn:voxdesk:problem:extension-inactive\"");
		}
		finally {
			put("acme-agent", extension("1001", agentPassword, "Artur (Acme)", true));
		}
		assertThat(webphone("acme-agent").status()).isEqualTo(200);

		var none = api.get("initech-admin", "/api/me/extension");
		assertThat(none.status()).isEqualTo(404);
		assertThat(none.isProblem()).isTrue();
		assertThat(none.detail()).isEqualTo("You have not set up an extension yet.");
		assertThat(webphone("initech-admin").status()).isEqualTo(404);
		assertThat(webphone("initech-admin").body()).contains("\"type\":\"urn:voxdesk:problem:no-extension\"");
	}

	@Test
	void theDefaultsComeFromTheTenantsEnabledProviderConnection() {
		removeConnections("initech-admin");
		try {
			assertThat(defaults("initech-admin")).isEqualTo(":null:null:null");

			connect("initech-admin", """
					{"kind": "api4com", "name": "API4COM", "enabled": true, "secret": "t0ken",
					 "settings": {"baseUrl": "http://127.0.0.1:9/api/v1", "domain": "initech.api4com.com"}}""");
			assertThat(defaults("initech-admin"))
				.isEqualTo(":initech.api4com.com:wss://initech.api4com.com:6443:api4com");
			removeConnections("initech-admin");

			connect("initech-admin", """
					{"kind": "asterisk", "name": "PBX", "enabled": true, "secret": "s3cret",
					 "settings": {"baseUrl": "http://127.0.0.1:9", "username": "voxdesk", "application": "voxdesk-initech",
					              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk"}}""");
			assertThat(defaults("initech-admin")).isEqualTo(":127.0.0.1:wss://127.0.0.1:8089/ws:asterisk");
		}
		finally {
			removeConnections("initech-admin");
		}
	}

	String defaults(String user) {
		var response = api.get(user, "/api/me/extension/defaults");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		var json = response.json();
		return ":" + text(json, "domain") + ":" + text(json, "websocketUrl") + ":" + text(json, "source");
	}

	static String text(JsonNode json, String field) {
		return json.path(field).isNull() ? "null" : json.path(field).asString();
	}

	void connect(String admin, String body) {
		var created = api.post(admin, "/api/provider-connections", body);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
	}

	void removeConnections(String admin) {
		for (var existing : api.get(admin, "/api/provider-connections").json()) {
			api.delete(admin, "/api/provider-connections/" + existing.path("id").asString());
		}
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.voxdesk.calls.CallId;
import io.voxdesk.testing.fakepbx.FakePbx;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A third connector, the Fake PBX of the {@code fake-connector} test module, written against the calls SPI alone and
 * added to the application by being on its class path: no line of the calls module names it. Through real HTTP and
 * Keycloak tokens, tenant globex's admin finds its declared settings, is held to them, connects and tests it; the
 * agent clicks to call, the PBX reports the call through the SPI's port, and the ticket's timeline shows it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ThirdConnectorTests {

	static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	static final String ADMIN = "globex-admin";

	static final String AGENT = "globex-agent";

	@LocalServerPort
	int port;

	@Autowired
	FakePbx pbx;

	VoxdeskApi api;

	@BeforeEach
	void globexWithoutConnections() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("globex");
		removeConnections();
	}

	@AfterEach
	void removeConnections() {
		for (var existing : api.get(ADMIN, "/api/provider-connections").json()) {
			api.delete(ADMIN, "/api/provider-connections/" + existing.path("id").asString());
		}
	}

	@Test
	void theInstalledKindsListTheFakePbxWithTheSettingsAndCapabilitiesItDeclares() {
		var kinds = api.get(ADMIN, "/api/provider-kinds");

		assertThat(kinds.status()).as(kinds.body()).isEqualTo(200);
		assertThat(kinds.json().valueStream().map(kind -> kind.path("kind").asString()))
			.as("in the connectors' order: the tenant's own Asterisk first").containsExactly("asterisk", "api4com", "fakepbx");
		var fake = kind(kinds.json(), "fakepbx");
		assertThat(fake.path("displayName").asString()).isEqualTo("Fake PBX");
		assertThat(fake.path("settings").valueStream().map(setting -> setting.path("name").asString()))
			.containsExactly("account", "apiKey", "region", "answerAfterSeconds", "sipDomain", "statusUrl", "recording");
		var apiKey = fake.path("settings").get(1);
		assertThat(apiKey.path("secret").asBoolean()).isTrue();
		assertThat(apiKey.path("required").asBoolean()).isTrue();
		assertThat(apiKey.path("label").asString()).isEqualTo("API key");
		assertThat(fake.path("settings").get(3).path("type").asString()).isEqualTo("NUMBER");
		assertThat(fake.path("settings").get(3).path("max").asInt()).isEqualTo(60);
		assertThat(fake.path("capabilities").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("CLICK_TO_CALL", "HOLD", "DTMF");
		var asterisk = kind(kinds.json(), "asterisk");
		assertThat(asterisk.path("capabilities").valueStream().map(JsonNode::asString)).contains("ATTENDED_TRANSFER");

		var agent = api.get(AGENT, "/api/provider-kinds");
		assertThat(agent.status()).as("only tenant admins manage providers").isEqualTo(403);
	}

	/**
	 * The webphone's unit tests render {@code <voxdesk-provider-settings>} from this answer, so it is committed where
	 * they read it and kept equal to what the API serves (rewritten with {@code -Dvoxdesk.docs.update=true}).
	 */
	@Test
	void theWebphoneTestsRenderTheKindsTheApiServes() throws IOException {
		var served = api.get(ADMIN, "/api/provider-kinds");
		assertThat(served.status()).isEqualTo(200);
		var generated = Path.of("target", "generated-docs", "provider-kinds.json");
		Files.createDirectories(generated.getParent());
		Files.writeString(generated, JSON.writeValueAsString(served.json()) + "\n");

		var drift = CommittedDocuments.compareFile(generated,
				CommittedDocuments.root().resolve("frontend-webphone/test/fixtures/provider-kinds.json"));

		assertThat(drift).as(CommittedDocuments.HOW_TO_UPDATE).isEmpty();
	}

	@Test
	void aConnectionIsHeldToTheSettingsTheConnectorDeclares() {
		var missingAccount = create("""
				{"kind": "fakepbx", "name": "Fake", "enabled": true, "secret": "fk_12345678", "settings": {}}""");
		assertThat(missingAccount.status()).isEqualTo(400);
		assertThat(missingAccount.isProblem()).isTrue();
		assertThat(missingAccount.detail()).isEqualTo("account is required: Account name, e.g. globex.");
		assertThat(field(missingAccount)).isEqualTo("settings.account");

		var badKey = create("""
				{"kind": "fakepbx", "name": "Fake", "enabled": true, "secret": "Bearer 123",
				 "settings": {"account": "globex"}}""");
		assertThat(badKey.status()).isEqualTo(400);
		assertThat(badKey.detail()).isEqualTo("The API key must be fk_ followed by 8 to 40 lowercase letters or digits.");
		assertThat(field(badKey)).isEqualTo("secret");

		var tooLate = create("""
				{"kind": "fakepbx", "name": "Fake", "enabled": true, "secret": "fk_12345678",
				 "settings": {"account": "globex", "answerAfterSeconds": "61"}}""");
		assertThat(tooLate.detail()).isEqualTo("answerAfterSeconds must be a whole number from 0 to 60.");

		var unknown = create("""
				{"kind": "fakepbx", "name": "Fake", "enabled": true, "secret": "fk_12345678",
				 "settings": {"account": "globex", "baseUrl": "http://127.0.0.1:9"}}""");
		assertThat(unknown.detail()).startsWith("Unknown Fake PBX settings [baseUrl]; the settings are [account, region,");

		var noSuchKind = create("""
				{"kind": "sipgate", "name": "Fake", "enabled": true, "secret": "x", "settings": {}}""");
		assertThat(noSuchKind.status()).isEqualTo(400);
		assertThat(noSuchKind.detail())
			.isEqualTo("No sipgate connector is installed in this Voxdesk; the installed ones are [api4com, asterisk, "
					+ "fakepbx].");

		assertThat(api.get(ADMIN, "/api/provider-connections").json().size()).as("nothing stored").isZero();
	}

	@Test
	void theFakePbxConnectsTestsAndCarriesAClickToCallWhoseEventsReachTheTicket() {
		var created = create("""
				{"kind": "fakepbx", "name": "Fake PBX", "enabled": true, "secret": "fk_globex2026",
				 "settings": {"account": "globex", "sipDomain": "globex.fakepbx.test", "answerAfterSeconds": "5"}}""");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().path("kind").asString()).isEqualTo("fakepbx");
		assertThat(created.json().path("secretSet").asBoolean()).isTrue();
		assertThat(created.body()).doesNotContain("fk_globex2026");
		var connection = created.json().path("id").asString();

		var unknownAccount = api.postEmpty(ADMIN, "/api/provider-connections/" + connection + "/test").json();
		assertThat(unknownAccount.path("ok").asBoolean()).isFalse();
		assertThat(unknownAccount.path("summary").asString()).isEqualTo("The Fake PBX has no account globex");
		pbx.openAccount("globex", "fk_globex2026");
		var check = api.postEmpty(ADMIN, "/api/provider-connections/" + connection + "/test").json();
		assertThat(check.path("ok").asBoolean()).as(check.toString()).isTrue();
		assertThat(check.path("steps").valueStream().map(step -> step.path("name").asString()))
			.containsExactly("account", "API key");

		var defaults = api.get(AGENT, "/api/me/extension/defaults").json();
		assertThat(defaults.path("domain").asString()).isEqualTo("globex.fakepbx.test");
		assertThat(defaults.path("websocketUrl").asString()).isEqualTo("wss://globex.fakepbx.test:7443/ws");
		assertThat(defaults.path("source").asString()).isEqualTo("fakepbx");

		var extension = api.put(AGENT, "/api/me/extension", "{\"extension\": \"2001\", \"active\": true}");
		assertThat(extension.status()).as(extension.body()).isEqualTo(200);
		var ticket = ticket();
		var started = api.post(AGENT, "/api/tickets/" + ticket + "/calls", "{\"number\": \"(48) 99922-0007\"}");
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		var call = CallId.parse(started.json().path("id").asString());

		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.dialed(call).isPresent());
		var dialed = pbx.dialed(call).orElseThrow();
		assertThat(dialed.call().agentExtension()).isEqualTo("2001");
		assertThat(dialed.call().number()).isEqualTo("+5548999220007");
		assertThat(dialed.tenant().value()).isEqualTo("globex");

		pbx.agentAndCustomerAnswer(call);
		assertThat(details(call).path("status").asString()).isEqualTo("ANSWERED");
		assertThat(details(call).path("provider").asString()).isEqualTo("fakepbx");

		var hold = api.postEmpty(AGENT, "/api/calls/" + call + "/hold");
		assertThat(hold.status()).as(hold.body()).isEqualTo(200);
		var transfer = api.post(AGENT, "/api/calls/" + call + "/transfer", "{\"destination\": \"2002\"}");
		assertThat(transfer.status()).as("the Fake PBX declares no transfer").isEqualTo(409);
		assertThat(transfer.detail()).isEqualTo("Voxdesk cannot transfer calls on fakepbx connections: the provider's "
				+ "API has no way to.");
		assertThat(pbx.controls()).containsExactly("hold " + call);

		var hangUp = api.postEmpty(AGENT, "/api/calls/" + call + "/hangup");
		assertThat(hangUp.status()).as(hangUp.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(details(call).path("status").asString()).isEqualTo("COMPLETED"));
		assertThat(details(call).path("outcome").asString()).isEqualTo("ANSWERED");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(callEntries(ticket))
			.containsExactly("call.started", "call.answered", "call.ended"));
	}

	VoxdeskApi.Response create(String body) {
		return api.post(ADMIN, "/api/provider-connections", body);
	}

	static JsonNode kind(JsonNode kinds, String code) {
		return kinds.valueStream().filter(kind -> kind.path("kind").asString().equals(code)).findFirst().orElseThrow();
	}

	static String field(VoxdeskApi.Response problem) {
		return problem.json().path("errors").get(0).path("field").asString();
	}

	String ticket() {
		var contact = api.post(AGENT, "/api/contacts", "{\"name\": \"Fake PBX Customer\", \"phones\": [{\"number\": "
				+ "\"+55 48 9%s\"}]}".formatted(VoxdeskApi.freshSubscriberDigits()));
		assertThat(contact.status()).as(contact.body()).isEqualTo(201);
		var created = api.post(AGENT, "/api/tickets", "{\"subject\": \"Modem\", \"contactId\": \"%s\"}"
			.formatted(contact.json().path("id").asString()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	JsonNode details(CallId call) {
		return api.get(AGENT, "/api/calls/" + call).json();
	}

	List<String> callEntries(String ticket) {
		return api.get(AGENT, "/api/tickets/" + ticket + "/timeline")
			.json()
			.valueStream()
			.map(entry -> entry.path("type").asString())
			.filter(type -> type.startsWith("call."))
			.toList();
	}
}

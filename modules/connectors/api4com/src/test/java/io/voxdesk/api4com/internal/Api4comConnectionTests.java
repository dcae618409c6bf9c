package io.voxdesk.api4com.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;

import com.github.tomakehurst.wiremock.http.RequestMethod;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * An API4COM connection against the fake API4COM: settings validation, "Test connection", and the webhook
 * registration that follows every change, including API4COM's 422 for a gateway registered already.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class Api4comConnectionTests {

	static Api4comStubs api4com;

	@Autowired
	ProviderConnectionManagement connections;

	@Autowired
	TenantContext context;

	@Autowired
	WebhookStore store;

	@Autowired
	WebhookRegistration webhooks;

	@Autowired
	JdbcClient jdbc;

	Api4comFixture fixture;

	@BeforeAll
	static void start() {
		api4com = Api4comStubs.start();
	}

	@AfterAll
	static void stop() {
		api4com.close();
	}

	@BeforeEach
	void setUp(@Autowired TenantManagement tenants, @Autowired CallManagement calls,
			@Autowired TransactionTemplate transactions,
			@Autowired ConnectionDirectory directory) {
		api4com.reset();
		fixture = new Api4comFixture(tenants, context, connections, directory, calls, store, jdbc, transactions);
	}

	@AfterEach
	void quiet() {
		fixture.awaitConnectorsDone();
	}

	ConnectionCheck test(TenantId tenant, io.voxdesk.calls.ProviderConnectionId id) {
		return context.callAs(tenant, () -> connections.test(id));
	}

	@Test
	void theWebhookIsRegisteredWithTheRawTokenAndOnlyItsHashIsKept() {
		var tenant = fixture.tenant("reg");
		var connection = fixture.connect(tenant, api4com, Api4comStubs.ADMIN_TOKEN);

		var patch = api4com.requests(RequestMethod.PATCH, "/api/v1/integrations");
		assertThat(patch).singleElement()
			.satisfies(request -> assertThat(request.getHeader("Authorization")).isEqualTo(Api4comStubs.ADMIN_TOKEN));
		var body = api4com.bodies(RequestMethod.PATCH, "/api/v1/integrations").get(0);
		assertThat(body.has("id")).isFalse();
		assertThat(body.path("gateway").asString()).isEqualTo("voxdesk");
		assertThat(body.path("webhook").asBoolean()).isTrue();
		// No constraint: inbound calls, which carry no Voxdesk metadata, must be delivered too.
		assertThat(body.path("webhookConstraint").isEmpty()).isTrue();
		assertThat(body.path("metadata").path("webhookVersion").asString()).isEqualTo("v1.4");
		assertThat(body.path("metadata").path("webhookTypes").valueStream().map(type -> type.asString()).toList())
			.containsExactly("channel-create", "channel-answer", "channel-hangup");
		var url = body.path("metadata").path("webhookUrl").asString();
		assertThat(url).matches("https://voxdesk\\.example\\.com/webhooks/api4com/[A-Za-z0-9_-]{43}");
		var token = url.substring(url.lastIndexOf('/') + 1);

		var row = context.callAs(tenant, () -> jdbc.sql("select * from api4com_webhooks where connection_id = :id")
			.param("id", connection.id().value())
			.query()
			.singleRow());
		assertThat(row.get("token_hash")).isEqualTo(WebhookStore.hash(token));
		assertThat(row.values()).noneMatch(value -> String.valueOf(value).contains(token));
		assertThat(row.get("integration_id")).isEqualTo("1");
		assertThat(row.get("problem")).isNull();
		assertThat(store.target(token)).hasValue(new WebhookStore.Target(tenant, connection.id()));
		context.runAs(tenant, () -> webhooks.registerIfNeeded(connection, Instant.now().plus(Duration.ofHours(1))));
		assertThat(api4com.requests(RequestMethod.PATCH, "/api/v1/integrations")).as("a working registration stays")
			.hasSize(1);
		// Row-level security: another tenant sees no registration at all.
		var other = fixture.tenant("other");
		assertThat(context.callAs(other, () -> jdbc.sql("select count(*) from api4com_webhooks").query(Long.class).single()))
			.isZero();
	}

	@Test
	void aChangeRegistersANewUrlWithTheIntegrationsIdAfterApi4comAnswers422() {
		var tenant = fixture.tenant("rereg");
		var connection = fixture.connect(tenant, api4com, Api4comStubs.ADMIN_TOKEN);
		var first = api4com.webhookToken();
		var registered = context.callAs(tenant, () -> store.find(connection.id())).orElseThrow();

		context.runAs(tenant, () -> connections.update(connection.id(), new ProviderConnectionDraft(ProviderKind.of("api4com"),
				"API4COM renamed", true, Map.of("baseUrl", api4com.baseUrl()), null)));
		var again = fixture.awaitRegistrationAttempt(tenant, connection.id(), registered.attemptedAt());

		assertThat(again.problem()).isNull();
		var patches = api4com.bodies(RequestMethod.PATCH, "/api/v1/integrations");
		assertThat(patches).hasSize(3);
		assertThat(patches.get(1).has("id")).as("second registration, without the id: 422").isFalse();
		assertThat(patches.get(2).path("id").asInt()).as("repeated with the listed id").isEqualTo(1);
		assertThat(api4com.requests(RequestMethod.GET, "/api/v1/integrations")).hasSize(1);
		var second = api4com.webhookToken();
		assertThat(second).isNotEqualTo(first);
		assertThat(store.target(second)).isPresent();
		assertThat(store.target(first)).as("the old URL no longer opens").isEmpty();
		assertThat(test(tenant, connection.id()).ok()).isTrue();
	}

	@Test
	void testConnectionNamesTheAccountAndChecksThatApi4comSendsEventsToThisVoxdesk() {
		var tenant = fixture.tenant("check");
		var connection = fixture.connect(tenant, api4com, Api4comStubs.ADMIN_TOKEN);

		var check = test(tenant, connection.id());

		assertThat(check.ok()).as(check.toString()).isTrue();
		assertThat(check.summary()).isEqualTo("Connected to API4COM (" + Api4comStubs.DOMAIN + "); calls can be placed "
				+ "and their events arrive by webhook.");
		assertThat(check.steps()).extracting(ConnectionCheck.Step::name)
			.containsExactly("reachable", "token accepted", "account", "may manage webhooks", "webhook registered");
		assertThat(check.steps().get(1).detail()).isEqualTo("user ops@example.com (ADMIN)");
		assertThat(check.toString()).doesNotContain(Api4comStubs.ADMIN_TOKEN).doesNotContain(api4com.webhookToken());

		// Someone else's integration took gateway "voxdesk" over.
		api4com.takeOverWebhook("https://elsewhere.example.com/hook/" + WebhookStore.newToken());
		var taken = test(tenant, connection.id());
		assertThat(taken.ok()).isFalse();
		assertThat(taken.summary()).contains("call events do not reach Voxdesk").contains("another URL");
		assertThat(taken.toString()).doesNotContain("elsewhere.example.com");
	}

	@Test
	void aTokenOfAUserWhoIsNotAnAdminCannotRegisterTheWebhookAndTestConnectionSaysSo() {
		var tenant = fixture.tenant("user");
		var connection = fixture.connect(tenant, api4com, Api4comStubs.USER_TOKEN);

		var registration = context.callAs(tenant, () -> store.find(connection.id())).orElseThrow();
		assertThat(registration.tokenHash()).isNull();
		assertThat(registration.problem()).contains("ADMIN").contains("Authorization Required (HTTP 401)");
		var check = test(tenant, connection.id());
		assertThat(check.ok()).isFalse();
		assertThat(check.summary()).contains("its user is not an ADMIN");
		assertThat(check.steps().get(1).detail()).isEqualTo("user agent@example.com (USER)");

		// The reconciliation tries again, but not every minute.
		context.runAs(tenant, () -> webhooks.registerIfNeeded(connection, Instant.now().plus(Duration.ofMinutes(1))));
		assertThat(api4com.requests(RequestMethod.PATCH, "/api/v1/integrations")).hasSize(1);
		context.runAs(tenant, () -> webhooks.registerIfNeeded(connection, Instant.now().plus(Duration.ofMinutes(6))));
		assertThat(api4com.requests(RequestMethod.PATCH, "/api/v1/integrations")).hasSize(2);
	}

	@Test
	void testConnectionTellsARejectedTokenASlowAndAnUnreachableApi4comApartWithinSeconds() {
		var tenant = fixture.tenant("bad");
		var connection = fixture.connect(tenant, api4com, Api4comStubs.ADMIN_TOKEN);

		update(tenant, connection.id(), api4com.baseUrl(), "not-the-token");
		var rejected = test(tenant, connection.id());
		assertThat(rejected.ok()).isFalse();
		assertThat(rejected.summary()).isEqualTo("API4COM rejected the token.");

		update(tenant, connection.id(), "http://127.0.0.1:9/api/v1", Api4comStubs.ADMIN_TOKEN);
		var refused = test(tenant, connection.id());
		assertThat(refused.summary()).isEqualTo("API4COM at http://127.0.0.1:9/api/v1 cannot be reached: connection refused.");
		assertThat(refused.durationMillis()).isLessThan(3_000);

		api4com.slowness(Duration.ofSeconds(4));
		update(tenant, connection.id(), api4com.baseUrl(), Api4comStubs.ADMIN_TOKEN);
		var slow = test(tenant, connection.id());
		assertThat(slow.summary()).endsWith("cannot be reached: no answer within 2 s.");
		assertThat(slow.durationMillis()).isLessThan(3_500);
	}

	@Test
	void loopbackRefusesABearerTokenSoTheConnectionRefusesToStoreOne() throws Exception {
		try (var client = HttpClient.newHttpClient()) {
			var bearer = client.send(HttpRequest.newBuilder(URI.create(api4com.baseUrl() + "/users/me"))
				.header("Authorization", "Bearer " + Api4comStubs.ADMIN_TOKEN)
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(bearer.statusCode()).isEqualTo(401);
			assertThat(bearer.body()).contains("AUTHORIZATION_REQUIRED");
		}
		var tenant = fixture.tenant("bearer");
		assertThatThrownBy(() -> context.runAs(tenant, () -> connections.create(new ProviderConnectionDraft(
				ProviderKind.of("api4com"), "API4COM", false, Map.of(), "Bearer " + Api4comStubs.ADMIN_TOKEN))))
			.isInstanceOfSatisfying(ErrorResponseException.class, ex -> assertThat(ex.getBody().getDetail())
				.contains("without 'Bearer'")
				.doesNotContain(Api4comStubs.ADMIN_TOKEN));
	}

	@Test
	void settingsAreTheBaseUrlAloneAndAnythingElseIsNamedAndRefused() {
		var tenant = fixture.tenant("valid");
		assertThatThrownBy(() -> context.runAs(tenant, () -> connections.create(new ProviderConnectionDraft(
				ProviderKind.of("api4com"), "API4COM", false, Map.of("username", "ops", "application", "x"), "t0ken"))))
			.isInstanceOfSatisfying(ErrorResponseException.class, ex -> assertThat(ex.getBody().getDetail())
				.startsWith("Unknown API4COM settings [application, username]"));
		assertThatThrownBy(() -> context.runAs(tenant, () -> connections.create(new ProviderConnectionDraft(
				ProviderKind.of("api4com"), "API4COM", false, Map.of("baseUrl", "ftp:/nowhere"), "t0ken"))))
			.isInstanceOfSatisfying(ErrorResponseException.class, ex -> assertThat(ex.getBody().getDetail())
				.contains("baseUrl 'ftp:/nowhere' is not an http or https URL"));
		var defaults = context.callAs(tenant, () -> connections.create(new ProviderConnectionDraft(ProviderKind.of("api4com"),
				"API4COM", false, Map.of("recording", "true"), "t0ken")));
		assertThat(defaults.settings()).containsOnlyKeys("recording");
		assertThat(Api4comHttp.baseUrl(fixture.connection(tenant, defaults.id())))
			.isEqualTo("https://api.api4com.com/api/v1");
	}

	void update(TenantId tenant, io.voxdesk.calls.ProviderConnectionId id, String baseUrl, String token) {
		var before = Instant.now();
		context.runAs(tenant, () -> connections.update(id, new ProviderConnectionDraft(ProviderKind.of("api4com"), "API4COM",
				true, Map.of("baseUrl", baseUrl), token)));
		fixture.awaitRegistrationAttempt(tenant, id, before);
	}
}

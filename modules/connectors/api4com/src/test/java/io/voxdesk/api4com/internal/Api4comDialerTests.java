package io.voxdesk.api4com.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderConnection;
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

/**
 * Click-to-call through API4COM's dialer: what it is sent, a slow dialer taken as dialing (the test acknowledgement
 * timeout is 1 s), and refusals in the agent's words, early or late.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class Api4comDialerTests {

	static Api4comStubs api4com;

	@Autowired
	Api4comAdapter adapter;

	@Autowired
	TenantContext context;

	Api4comFixture fixture;

	TenantId tenant;

	ProviderConnection connection;

	@BeforeAll
	static void start() {
		api4com = Api4comStubs.start();
	}

	@AfterAll
	static void stop() {
		api4com.close();
	}

	@BeforeEach
	void connected(@Autowired TenantManagement tenants, @Autowired ProviderConnectionManagement connections,
			@Autowired CallManagement calls, @Autowired WebhookStore store, @Autowired JdbcClient jdbc,
			@Autowired TransactionTemplate transactions,
			@Autowired ConnectionDirectory directory) {
		api4com.reset();
		fixture = new Api4comFixture(tenants, context, connections, directory, calls, store, jdbc, transactions);
		tenant = fixture.tenant("dial");
		connection = fixture.connect(tenant, api4com, Api4comStubs.ADMIN_TOKEN);
	}

	@AfterEach
	void quiet() {
		fixture.awaitConnectorsDone();
	}

	OutboundCall outbound(String extension) {
		var call = fixture.call(tenant, connection.id(), Instant.now());
		return new OutboundCall(call, extension, "+554833328530", "Ana", false);
	}

	String originate(OutboundCall call) {
		return context.callAs(tenant, () -> adapter.originate(connection, call));
	}

	@Test
	void theDialerGetsTheExtensionTheE164NumberAndTheCallInMetadataWithTheRawToken() {
		var call = outbound("1001");

		var dialerId = originate(call);

		assertThat(dialerId).startsWith("dialer-");
		var request = api4com.requests(RequestMethod.POST, "/api/v1/dialer");
		assertThat(request).singleElement()
			.satisfies(sent -> assertThat(sent.getHeader("Authorization")).isEqualTo(Api4comStubs.ADMIN_TOKEN));
		var body = api4com.bodies(RequestMethod.POST, "/api/v1/dialer").get(0);
		assertThat(body.path("extension").asString()).isEqualTo("1001");
		assertThat(body.path("phone").asString()).isEqualTo("+554833328530");
		assertThat(body.path("metadata").path("gateway").asString()).isEqualTo("voxdesk");
		assertThat(body.path("metadata").path("voxdeskCallId").asString()).isEqualTo(call.call().toString());
		assertThat(body.path("metadata").path("voxdeskTenant").asString()).isEqualTo(tenant.value());
		assertThat(fixture.details(tenant, call.call()).status()).isEqualTo(CallStatus.RINGING);
	}

	@Test
	void aSlowDialerIsTakenAsDialingAndItsLateAcceptanceChangesNothing() {
		api4com.dialerDelay(Duration.ofSeconds(3));
		var call = outbound("1001");

		var started = System.nanoTime();
		var dialerId = originate(call);

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
		assertThat(dialerId).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> answered("/api/v1/dialer") == 1);
		assertThat(fixture.details(tenant, call.call()).status()).isEqualTo(CallStatus.RINGING);
		assertThat(fixture.facts(tenant, call.call())).isZero();
	}

	@Test
	void anOfflineWebphoneIsRefusedInWordsTheAgentUnderstands() {
		api4com.webphoneOffline("1002");

		assertThatThrownBy(() -> originate(outbound("1002"))).isInstanceOf(ProviderException.class)
			.hasMessage("API4COM could not ring extension 1002: the agent's webphone is not registered (is it open "
					+ "and online?).");
	}

	@Test
	void aSlowDialerThatRefusesLateStillFailsTheCall() {
		api4com.dialerDelay(Duration.ofSeconds(2));
		api4com.webphoneOffline("1003");
		var call = outbound("1003");

		assertThat(originate(call)).isEmpty();

		var failed = await().atMost(Duration.ofSeconds(10))
			.until(() -> fixture.details(tenant, call.call()), details -> details.status().isFinal());
		assertThat(failed.status()).isEqualTo(CallStatus.FAILED);
		assertThat(failed.hangupCause()).startsWith("400 API4COM could not ring extension 1003: the agent's webphone");
	}

	@Test
	void otherRefusalsCarryApi4comsWordsAndAnUnreachableApi4comSaysSoButNeverTheToken() {
		var bad = new OutboundCall(CallId.random(), "1001", "04833328530", "Ana", false);
		assertThatThrownBy(() -> originate(bad)).isInstanceOf(ProviderException.class)
			.hasMessage("API4COM refused the call: phone must be in E.164, e.g. +554833328530 (HTTP 422)");

		var gone = new ProviderConnection(connection.id(), tenant, connection.kind(), connection.name(), true,
				Map.of("baseUrl", "http://127.0.0.1:9/api/v1"), Api4comStubs.ADMIN_TOKEN);
		assertThatThrownBy(() -> context.runAs(tenant, () -> adapter.originate(gone, outbound("1001"))))
			.isInstanceOf(ProviderException.class)
			.hasMessage("API4COM could not be reached to place the call: connection refused.");

		var wrongToken = new ProviderConnection(connection.id(), tenant, connection.kind(), connection.name(), true,
				connection.settings(), "Bearer " + Api4comStubs.ADMIN_TOKEN);
		assertThatThrownBy(() -> context.runAs(tenant, () -> adapter.originate(wrongToken, outbound("1001"))))
			.isInstanceOf(ProviderException.class)
			.hasMessage("API4COM rejected the connection's token (HTTP 401).")
			.message()
			.doesNotContain(Api4comStubs.ADMIN_TOKEN);
	}

	long answered(String path) {
		return api4com.server()
			.getAllServeEvents()
			.stream()
			.filter(event -> event.getRequest().getUrl().equals(path) && event.getResponse() != null)
			.count();
	}
}

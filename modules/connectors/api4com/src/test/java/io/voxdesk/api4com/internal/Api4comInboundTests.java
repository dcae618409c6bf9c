package io.voxdesk.api4com.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.tenants.TestMembers;

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
 * Inbound calls on API4COM (issue 16, point 3): API4COM routes them itself, so its webhooks ({@code direction:
 * "inbound"}, no Voxdesk metadata) create and settle a call record for the user whose extension took the call, in
 * whatever order and however concurrently they arrive, with the customer's number in either field.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class Api4comInboundTests {

	static Api4comStubs api4com;

	@Autowired
	WebhookReceiver receiver;

	@Autowired
	CallManagement calls;

	@Autowired
	ExtensionManagement extensions;

	@Autowired
	TenantContext context;

	@Autowired
	TenantManagement tenants;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	Api4comFixture fixture;

	TenantId acme;

	ProviderConnection connection;

	String token;

	UserId ana;

	@BeforeAll
	static void start() {
		api4com = Api4comStubs.start();
	}

	@AfterAll
	static void stop() {
		api4com.close();
	}

	@BeforeEach
	void acmeWithAnAgentOnExtension1001(@Autowired ProviderConnectionManagement connections,
			@Autowired WebhookStore store, @Autowired ConnectionDirectory directory) {
		api4com.reset();
		fixture = new Api4comFixture(tenants, context, connections, directory, calls, store, jdbc, transactions);
		acme = fixture.tenant("in");
		connection = fixture.connect(acme, api4com, Api4comStubs.ADMIN_TOKEN);
		token = api4com.webhookToken();
		ana = new TestMembers(jdbc, transactions, context).add(acme, "ana", "agent");
		context.runAs(acme, () -> extensions.save(ana, ExtensionDraft.of("1001", true)));
	}

	@AfterEach
	void quiet() {
		fixture.awaitConnectorsDone();
	}

	static String inbound(String type, String id, String caller, String called, String answeredAt, String endedAt) {
		return """
				{"version":"v1.4","eventType":"%s","id":"%s","domain":"%s","direction":"inbound","caller":"%s",
				 "called":"%s","startedAt":"2026-11-22 09:00:00","answeredAt":"%s","endedAt":"%s","duration":0,
				 "hangupCause":"%s","hangupCauseCode":"%s","metadata":{}}""".formatted(type, id, Api4comStubs.DOMAIN,
				caller, called, answeredAt, endedAt, endedAt.isEmpty() ? "" : "NORMAL_CLEARING",
				endedAt.isEmpty() ? "" : "16");
	}

	List<String> story(String id, String caller, String called) {
		return List.of(inbound("channel-create", id, caller, called, "", ""),
				inbound("channel-answer", id, caller, called, "2026-11-22 09:00:05", ""),
				inbound("channel-hangup", id, caller, called, "2026-11-22 09:00:05", "2026-11-22 09:01:00"));
	}

	CallDetails recordOf(String api4comId) {
		var id = context.callAs(acme, () -> jdbc.sql("select id from calls where provider_call_id = ? and direction = "
				+ "'inbound'").param(api4comId).query(UUID.class).single());
		return context.callAs(acme, () -> calls.find(CallId.of(id))).orElseThrow();
	}

	@Test
	void anInboundCallTakenByAnExtensionIsRecordedForItsUserWhateverOrderTheWebhooksComeIn() {
		var webhooks = story("in-1", "048999900001", "1001");

		// Hangup first, then answer, then create.
		assertThat(receiver.receive(token, webhooks.get(2)).result()).isEqualTo("applied");
		receiver.receive(token, webhooks.get(1));
		receiver.receive(token, webhooks.get(0));
		assertThat(receiver.receive(token, webhooks.get(2))).isEqualTo(WebhookReceiver.Result.DUPLICATE);

		var call = recordOf("in-1");
		assertThat(call.direction()).isEqualTo("inbound");
		assertThat(call.agent()).isEqualTo(ana);
		assertThat(call.agentName()).isEqualTo("ana");
		assertThat(call.agentExtension()).isEqualTo("1001");
		assertThat(call.number()).isEqualTo("+5548999900001");
		assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(call.talkSeconds()).isEqualTo(55);
		assertThat(call.contact()).as("the caller became a contact").isNotNull();
		assertThat(call.ticket()).as("and the call landed on their ticket").isNotNull();
	}

	@Test
	void theCustomerMayBeInEitherFieldAndAnUnansweredCallIsMissed() {
		receiver.receive(token, inbound("channel-create", "in-2", "1001", "+5548999900002", "", ""));
		receiver.receive(token, inbound("channel-hangup", "in-2", "1001", "+5548999900002", "", "2026-11-22 09:00:30"));

		var call = recordOf("in-2");
		assertThat(call.agent()).isEqualTo(ana);
		assertThat(call.number()).isEqualTo("+5548999900002");
		assertThat(call.status()).isEqualTo(CallStatus.MISSED);
		assertThat(call.outcome()).isEqualTo(CallOutcome.ABANDONED);
	}

	@Test
	void webhooksOfOneCallDeliveredAtOnceMakeOneRecordAndLoseNoFact() throws Exception {
		var webhooks = story("in-3", "048999900003", "1001");
		var start = new CountDownLatch(1);
		var deliveries = webhooks.stream().map(body -> CompletableFuture.runAsync(() -> {
			try {
				start.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			receiver.receive(token, body);
		})).toList();
		start.countDown();
		CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new)).get();

		assertThat(context.callAs(acme, () -> jdbc.sql("select count(*) from calls where provider_call_id = 'in-3'")
			.query(Long.class)
			.single())).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			var call = recordOf("in-3");
			assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
			assertThat(call.talkSeconds()).isEqualTo(55);
		});
	}

	/** Point 13: a call an extension placed on API4COM without Voxdesk is recorded for the extension's user too. */
	@Test
	void aCallAnExtensionPlacedWithoutVoxdeskIsRecordedForItsUser() {
		var create = inbound("channel-create", "out-1", "1001", "048999900009", "", "").replace("\"inbound\"",
				"\"outbound\"");
		var hangup = inbound("channel-hangup", "out-1", "1001", "048999900009", "2026-11-22 09:00:05",
				"2026-11-22 09:01:00").replace("\"inbound\"", "\"outbound\"");

		assertThat(receiver.receive(token, hangup).result()).isEqualTo("applied");
		assertThat(receiver.receive(token, create).result()).isEqualTo("applied");
		assertThat(receiver.receive(token, hangup)).isEqualTo(WebhookReceiver.Result.DUPLICATE);

		var id = context.callAs(acme, () -> jdbc.sql("select id from calls where provider_call_id = 'out-1'")
			.query(UUID.class)
			.list());
		assertThat(id).hasSize(1);
		var call = context.callAs(acme, () -> calls.find(CallId.of(id.getFirst()))).orElseThrow();
		assertThat(call.direction()).isEqualTo("outbound");
		assertThat(call.agent()).isEqualTo(ana);
		assertThat(call.number()).isEqualTo("+5548999900009");
		assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(call.talkSeconds()).isEqualTo(55);
	}
}

package io.voxdesk.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import io.voxdesk.calls.CallAnswered;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketOpened;
import io.voxdesk.webhooks.WebhookEndpointDisabled;
import io.voxdesk.webhooks.internal.TestReceiver.Answer;
import io.voxdesk.webhooks.internal.WebhookRegistry.WithSecret;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook deliveries against a real HTTP receiver on loopback: signed as Standard Webhooks says (checked with the
 * receiver code the documentation gives hosts), retried on 5xx, 429 and timeouts along a short schedule here, never
 * on other 4xx, in order per call, a slow host holding only its own deliveries, an endpoint that fails for the whole
 * window disabled, and each tenant seeing only its own endpoints.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
@TestPropertySource(properties = { "voxdesk.webhooks.allow-loopback-http=true",
		"voxdesk.webhooks.retry-schedule=300ms,300ms", "voxdesk.webhooks.poll-interval=50ms",
		"voxdesk.webhooks.timeout=3s", "voxdesk.webhooks.secret-overlap=1h" })
class WebhookDeliveryTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	WebhookRegistry registry;

	@Autowired
	TenantContext context;

	@Autowired
	TenantManagement tenantManagement;

	TestReceiver receiver;

	TenantId tenant;

	@BeforeEach
	void receiverAndTenant() throws Exception {
		receiver = new TestReceiver();
		tenant = new TestTenants(tenantManagement, context).create("wh", "Webhooks");
	}

	@AfterEach
	void stopReceiver() {
		receiver.close();
	}

	WithSecret endpoint(TenantId owner, String path, String... types) {
		return context.callAs(owner, () -> registry.create(receiver.url(path), "Host CRM", List.of(types), true));
	}

	static TicketOpened ticketOpened(TenantId tenant) {
		return new TicketOpened(tenant, new TicketId(UUID.randomUUID()), null);
	}

	@Test
	void aDeliveryIsSignedAsStandardWebhooksSayAndTheDocumentedReceiverVerifiesIt(Scenario scenario) throws Exception {
		var created = endpoint(tenant, "/signed", "ticket.created");
		assertThat(created.secret()).startsWith("whsec_");
		var opened = ticketOpened(tenant);

		scenario.publish(opened).andWaitForStateChange(() -> receiver.at("/signed"), list -> !list.isEmpty());

		var request = receiver.at("/signed").getFirst();
		assertThat(request.id()).startsWith("msg_");
		assertThat(WebhookReceiverExample.verify(created.secret(), request.id(), request.timestamp(),
				request.signature(), request.body())).as("the documented Java receiver accepts it").isTrue();
		assertThat(WebhookReceiverExample.verify(WebhookSigner.newSecret(), request.id(), request.timestamp(),
				request.signature(), request.body())).as("another secret does not").isFalse();
		// The attack: a body changed on the way, signature and headers kept.
		assertThat(WebhookReceiverExample.verify(created.secret(), request.id(), request.timestamp(),
				request.signature(), request.body().replace(opened.ticketId().toString(), UUID.randomUUID().toString())))
			.as("a tampered body").isFalse();
		assertThat(pythonReceiver(created.secret(), request, request.body())).as("the documented Python receiver")
			.isEqualTo("valid");
		assertThat(pythonReceiver(created.secret(), request, request.body().replace("ticket.created", "ticket.closed")))
			.isEqualTo("invalid");
		if (Boolean.getBoolean("voxdesk.docs.update")) {
			recordForTheTypeScriptReceiver(created.secret(), request);
		}
		var body = JSON.readTree(request.body());
		assertThat(body.path("type").asString()).isEqualTo("ticket.created");
		assertThat(body.path("version").asInt()).isEqualTo(1);
		assertThat(body.path("tenant").asString()).isEqualTo(tenant.value());
		assertThat(body.path("data").path("ticketId").asString()).isEqualTo(opened.ticketId().toString());
		var log = context.callAs(tenant, () -> registry.deliveries(created.endpoint().id(), null, 10));
		assertThat(log).singleElement().satisfies(delivery -> {
			assertThat(delivery.state()).isEqualTo("delivered");
			assertThat(delivery.lastStatus()).isEqualTo(204);
		});
	}

	/** What docs/examples/webhook_receiver.py, the Python receiver the documentation quotes, says of a delivery. */
	static String pythonReceiver(String secret, TestReceiver.Received request, String body) throws Exception {
		var process = new ProcessBuilder("python3", java.nio.file.Path.of("..", "..", "docs", "examples",
				"webhook_receiver.py").toString()).redirectErrorStream(true).start();
		try (var input = process.getOutputStream()) {
			input.write(JSON.createObjectNode()
				.put("secret", secret)
				.put("id", request.id())
				.put("timestamp", request.timestamp())
				.put("signature", request.signature())
				.put("body", body)
				.toString()
				.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		var output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
		return output.strip();
	}

	/**
	 * Keeps this real delivery for the TypeScript receiver's test (frontend-webphone), which has no Voxdesk to ask:
	 * the secret is a throwaway test tenant's.
	 */
	static void recordForTheTypeScriptReceiver(String secret, TestReceiver.Received request) throws Exception {
		var fixture = JSON.createObjectNode()
			.put("note", "A real delivery recorded by WebhookDeliveryTests; the secret is a throwaway test tenant's.")
			.put("secret", secret)
			.put("id", request.id())
			.put("timestamp", request.timestamp())
			.put("signature", request.signature())
			.put("body", request.body());
		java.nio.file.Files.writeString(java.nio.file.Path.of("..", "..", "frontend-webphone", "test", "unit", "fixtures",
				"webhook-delivery.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fixture) + "\n");
	}

	@Test
	void anEventHandedOverTwiceIsDeliveredOnce(Scenario scenario) {
		var created = endpoint(tenant, "/once", "ticket.created");
		var opened = ticketOpened(tenant);

		scenario.publish(opened).andWaitForStateChange(() -> receiver.at("/once"), list -> !list.isEmpty());
		// As the event publication registry does when it cannot tell that a listener finished.
		scenario.publish(opened)
			.andWaitForStateChange(() -> context.callAs(tenant,
					() -> registry.deliveries(created.endpoint().id(), null, 10)), list -> !list.isEmpty());

		var test = context.callAs(tenant, () -> registry.test(created.endpoint().id()));
		await().until(() -> receiver.at("/once").size() == 2);
		assertThat(receiver.at("/once")).extracting(request -> JSON.readTree(request.body()).path("type").asString())
			.containsExactly("ticket.created", "webhook.test");
		assertThat(receiver.at("/once").get(1).id()).isEqualTo("msg_" + test);
	}

	@Test
	void fiveHundredsAndTooManyRequestsAreRetriedHonouringRetryAfterAndOtherFourHundredsAreNot(Scenario scenario) {
		var retried = endpoint(tenant, "/retried", "ticket.created");
		receiver.script("/retried", Answer.status(500), new Answer(429, "1", null, "slow down"));
		var refused = endpoint(tenant, "/refused", "ticket.closed");
		receiver.script("/refused", new Answer(400, null, null, "unknown ticket"));

		scenario.publish(ticketOpened(tenant)).andWaitForStateChange(() -> receiver.at("/retried"), list -> list.size() == 3);
		scenario.publish(new io.voxdesk.tickets.TicketClosed(tenant, new TicketId(UUID.randomUUID())))
			.andWaitForStateChange(() -> context.callAs(tenant, () -> registry.deliveries(refused.endpoint().id(),
					"failed", 10)), list -> !list.isEmpty());

		var attempts = receiver.at("/retried");
		assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at())).as("Retry-After: 1 honoured")
			.isGreaterThanOrEqualTo(Duration.ofMillis(950));
		assertThat(attempts).extracting(TestReceiver.Received::id).as("the same message each time").containsOnly(attempts.getFirst().id());
		var log = context.callAs(tenant, () -> registry.delivery(retried.endpoint().id(),
				registry.deliveries(retried.endpoint().id(), null, 1).getFirst().id()));
		assertThat(log.delivery().state()).isEqualTo("delivered");
		assertThat(log.attempts()).extracting(WebhookDeliveries.Attempt::statusCode).containsExactly(500, 429, 204);
		assertThat(log.attempts().get(1).responseExcerpt()).isEqualTo("slow down");

		var failed = context.callAs(tenant, () -> registry.deliveries(refused.endpoint().id(), null, 10)).getFirst();
		assertThat(failed.state()).isEqualTo("failed");
		assertThat(failed.failure()).isEqualTo("Not retried: HTTP 400");
		assertThat(receiver.at("/refused")).hasSize(1);

		// "Send again": the host fixed its side.
		context.runAs(tenant, () -> registry.sendAgain(refused.endpoint().id(), failed.id()));
		await().until(() -> receiver.at("/refused").size() == 2);
		await().until(() -> context.callAs(tenant, () -> registry.delivery(refused.endpoint().id(), failed.id()))
			.delivery()
			.state()
			.equals("delivered"));
	}

	@Test
	void aHostThatWasKilledGetsTheDeliveryOnARetryOnceItIsBack(Scenario scenario) throws Exception {
		var back = endpoint(tenant, "/back", "ticket.created");
		var port = receiver.port();
		// The host's process is killed: its port refuses connections.
		receiver.close();
		var opened = ticketOpened(tenant);
		var failedOnce = new java.util.concurrent.atomic.AtomicReference<WebhookDeliveries.Delivery>();
		scenario.publish(opened)
			.andWaitForStateChange(() -> context.callAs(tenant, () -> registry.deliveries(back.endpoint().id(), null, 1))
				.stream()
				.filter(delivery -> delivery.attempts() >= 1)
				.toList(), list -> !list.isEmpty())
			.andVerify(list -> failedOnce.set(list.getFirst()));
		var delivery = failedOnce.get();
		assertThat(delivery.state()).as("still to be retried").isEqualTo("pending");
		// The host is started again where it was, and the next retry reaches it.
		receiver = new TestReceiver(port);
		await().until(() -> receiver.at("/back").size() == 1);
		assertThat(receiver.at("/back").getFirst().body()).contains(opened.ticketId().toString());
		var log = await().until(() -> context.callAs(tenant, () -> registry.delivery(back.endpoint().id(), delivery.id())),
				found -> found.delivery().state().equals("delivered"));
		assertThat(log.attempts().getFirst().statusCode()).as("the first attempt found nobody").isNull();
		assertThat(log.attempts().getFirst().error()).isNotBlank();
		assertThat(log.attempts().getLast().statusCode()).isEqualTo(204);
	}

	@Test
	void anEndpointFailingForTheWholeWindowIsDisabledAndItsAdminsAreTold(Scenario scenario) {
		var dead = endpoint(tenant, "/dead", "ticket.created");
		receiver.script("/dead", Answer.status(503), Answer.status(503), Answer.status(503));

		scenario.publish(ticketOpened(tenant))
			.andWaitForEventOfType(WebhookEndpointDisabled.class)
			.matching(event -> event.endpointId().equals(dead.endpoint().id()))
			.toArriveAndVerify(event -> assertThat(event.reason()).contains("Every delivery failed"));

		assertThat(receiver.at("/dead")).as("the first attempt and two retries").hasSize(3);
		var details = context.callAs(tenant, () -> registry.get(dead.endpoint().id()));
		assertThat(details.enabled()).isFalse();
		assertThat(details.disabledByVoxdesk()).isTrue();
		assertThat(details.disabledReason()).contains("turn it on again");
		// Turned on again by its admin: the flag goes.
		var again = context.callAs(tenant, () -> registry.update(dead.endpoint().id(), details.url(), null,
				details.eventTypes(), true));
		assertThat(again.disabledByVoxdesk()).isFalse();
	}

	@Test
	void deliveriesAboutOneCallArriveInOrderEvenWhenTheFirstIsRetried(Scenario scenario) {
		endpoint(tenant, "/ordered", "call.answered", "call.ended");
		receiver.script("/ordered", Answer.status(502));
		var call = new CallId(UUID.randomUUID());
		var at = Instant.parse("2026-12-07T10:00:00Z");

		scenario.publish(new CallAnswered(tenant, call, null, at))
			.andWaitForStateChange(() -> receiver.at("/ordered"), list -> !list.isEmpty());
		scenario.publish(new CallEnded(tenant, call, null, CallStatus.COMPLETED, CallOutcome.ANSWERED, 42, "16", false,
				at.plusSeconds(42)))
			.andWaitForStateChange(() -> receiver.at("/ordered"), list -> list.size() == 3);

		assertThat(receiver.at("/ordered")).extracting(request -> JSON.readTree(request.body()).path("type").asString())
			.as("the end waited for the answer's retry").containsExactly("call.answered", "call.answered", "call.ended");
		var ended = JSON.readTree(receiver.at("/ordered").get(2).body()).path("data");
		assertThat(ended.path("callId").asString()).isEqualTo(call.toString());
		assertThat(ended.path("outcome").asString()).isEqualTo("answered");
		assertThat(ended.path("talkSeconds").asLong()).isEqualTo(42);
	}

	@Test
	void aSlowHostHoldsOnlyItsOwnDeliveries(Scenario scenario) {
		var other = new TestTenants(tenantManagement, context).create("wh", "Other");
		endpoint(tenant, "/slow", "ticket.created");
		endpoint(other, "/fast", "ticket.created");
		var release = new CountDownLatch(1);
		receiver.script("/slow", new Answer(200, null, release, ""));
		try {
			scenario.publish(ticketOpened(tenant)).andWaitForStateChange(() -> receiver.at("/slow"), list -> !list.isEmpty());
			scenario.publish(ticketOpened(other)).andWaitForStateChange(() -> receiver.at("/fast"), list -> !list.isEmpty());
			assertThat(release.getCount()).as("the slow host had not answered yet").isEqualTo(1);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aTenantCannotSeeOrTouchAnotherTenantsEndpoints() {
		var other = new TestTenants(tenantManagement, context).create("wh", "Attacker");
		var victim = endpoint(tenant, "/victim", "ticket.created");
		var id = victim.endpoint().id();

		// The attack: an admin of another tenant names the victim's endpoint id in every call.
		context.runAs(other, () -> {
			assertThat(registry.list()).extracting(WebhookRegistry.Details::id).doesNotContain(id);
			assertThatThrownBy(() -> registry.get(id)).isInstanceOf(ErrorResponseException.class)
				.hasMessageContaining("404");
			assertThatThrownBy(() -> registry.rotate(id)).hasMessageContaining("404");
			assertThatThrownBy(() -> registry.update(id, receiver.url("/stolen"), null, List.of("ticket.created"), true))
				.hasMessageContaining("404");
			assertThatThrownBy(() -> registry.deliveries(id, null, 10)).hasMessageContaining("404");
			assertThatThrownBy(() -> registry.delete(id)).hasMessageContaining("404");
		});
		assertThat(context.callAs(tenant, () -> registry.get(id)).url()).isEqualTo(receiver.url("/victim"));
	}

	@Test
	void afterARotationBothSecretsSignUntilTheOverlapEnds(Scenario scenario) throws Exception {
		var created = endpoint(tenant, "/rotated", "ticket.created");
		var rotated = context.callAs(tenant, () -> registry.rotate(created.endpoint().id()));
		assertThat(rotated.secret()).isNotEqualTo(created.secret());
		assertThat(rotated.previousSecretValidUntil()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));

		scenario.publish(ticketOpened(tenant)).andWaitForStateChange(() -> receiver.at("/rotated"), list -> !list.isEmpty());

		var request = receiver.at("/rotated").getFirst();
		assertThat(request.signature().split(" ")).hasSize(2);
		for (var secret : List.of(created.secret(), rotated.secret())) {
			assertThat(WebhookReceiverExample.verify(secret, request.id(), request.timestamp(), request.signature(),
					request.body())).isTrue();
		}
	}

	@Test
	void badRegistrationsAreRefusedWithTheReason() {
		context.runAs(tenant, () -> {
			assertThatThrownBy(() -> registry.create("https://10.1.2.3/hook", null, List.of("ticket.created"), true))
				.isInstanceOf(ErrorResponseException.class)
				.satisfies(ex -> assertThat(((ErrorResponseException) ex).getBody().getDetail())
					.contains("resolves to a private, loopback or link-local address"));
			assertThatThrownBy(() -> registry.create(receiver.url("/x"), null, List.of("call.exploded"), true))
				.satisfies(ex -> assertThat(((ErrorResponseException) ex).getBody().getDetail())
					.startsWith("Not an event type: call.exploded; the types are: call.started, "));
		});
	}
}

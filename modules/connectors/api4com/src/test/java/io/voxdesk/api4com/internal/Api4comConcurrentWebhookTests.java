package io.voxdesk.api4com.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;

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
 * API4COM delivers a call's webhooks in parallel and in any order: each delivery must be accepted and applied once,
 * whatever the interleaving, and the record must end as the facts say. Before, the deliveries racing for one call
 * failed with an optimistic-lock conflict (a 409 to API4COM) and their facts were lost.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class Api4comConcurrentWebhookTests {

	static Api4comStubs api4com;

	static final List<List<Integer>> EVERY_ORDER = List.of(List.of(0, 1, 2), List.of(0, 2, 1), List.of(1, 0, 2),
			List.of(1, 2, 0), List.of(2, 0, 1), List.of(2, 1, 0));

	@Autowired
	WebhookReceiver receiver;

	@Autowired
	CallManagement calls;

	@Autowired
	TenantContext context;

	@Autowired
	TenantManagement tenants;

	@Autowired
	JdbcClient jdbc;

	Api4comFixture fixture;

	TenantId acme;

	ProviderConnection connection;

	String token;

	ExecutorService threads = Executors.newFixedThreadPool(6);

	@BeforeAll
	static void start() {
		api4com = Api4comStubs.start();
	}

	@AfterAll
	static void stop() {
		api4com.close();
	}

	@BeforeEach
	void connected(@Autowired ProviderConnectionManagement connections, @Autowired WebhookStore store,
			@Autowired TransactionTemplate transactions,
			@Autowired ConnectionDirectory directory) {
		api4com.reset();
		fixture = new Api4comFixture(tenants, context, connections, directory, calls, store, jdbc, transactions);
		acme = fixture.tenant("acme");
		connection = fixture.connect(acme, api4com, Api4comStubs.ADMIN_TOKEN);
		token = api4com.webhookToken();
	}

	@AfterEach
	void quiet() throws InterruptedException {
		threads.shutdownNow();
		threads.awaitTermination(10, TimeUnit.SECONDS);
		fixture.awaitConnectorsDone();
	}

	@Test
	void createAnswerAndHangupDeliveredTogetherInEveryOrderAreEachAppliedOnce() throws Exception {
		var failures = new ArrayList<String>();
		var wrong = new ArrayList<String>();
		for (var round = 0; round < 5; round++) {
			for (var order : EVERY_ORDER) {
				var call = fixture.call(acme, connection.id(), Instant.now());
				var id = "c" + round + order.toString().replaceAll("\\D", "");
				var webhooks = List.of(Api4comWebhookTests.create(id, call), Api4comWebhookTests.answer(id, call),
						Api4comWebhookTests.hangup(id, call, null));
				// Each webhook twice (API4COM redelivers), all six released at the same instant.
				var gate = new CyclicBarrier(6);
				var deliveries = new ArrayList<CompletableFuture<WebhookReceiver.Result>>();
				for (var copy = 0; copy < 2; copy++) {
					for (var which : order) {
						deliveries.add(CompletableFuture.supplyAsync(() -> {
							await(gate);
							return receiver.receive(token, webhooks.get(which));
						}, threads));
					}
				}
				var facts = 0;
				for (var delivery : deliveries) {
					try {
						facts += delivery.get(30, TimeUnit.SECONDS).facts();
					}
					catch (Exception e) {
						failures.add(order + ": " + (e.getCause() == null ? e : e.getCause()));
					}
				}
				check(call, order, facts, wrong);
			}
		}

		assertThat(failures).as("deliveries refused").isEmpty();
		assertThat(wrong).as("records that do not say what the webhooks said").isEmpty();
	}

	private void check(CallId call, List<Integer> order, int facts, List<String> wrong) {
		var details = fixture.details(acme, call);
		var stored = fixture.facts(acme, call);
		if (details.status() != CallStatus.COMPLETED
				|| !Instant.parse("2026-11-22T12:00:05Z").equals(details.answeredAt())
				|| !Instant.parse("2026-11-22T12:01:00Z").equals(details.endedAt()) || details.talkSeconds() != 55
				|| !"16 NORMAL_CLEARING".equals(details.hangupCause()) || facts != stored) {
			wrong.add(order + ": " + details.status() + ", answered " + details.answeredAt() + ", ended "
					+ details.endedAt() + ", cause " + details.hangupCause() + ", " + facts + " facts accepted, "
					+ stored + " stored");
		}
	}

	private static void await(CyclicBarrier gate) {
		try {
			gate.await(10, TimeUnit.SECONDS);
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}
}

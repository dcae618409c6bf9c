package io.voxdesk.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.InboundCall;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.tenants.TestMembers;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.tickets.QueueManagement;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Callback tasks (issue 16, point 11): a caller nobody answered leaves one on their queue, which a repeat call from
 * the same number joins; the queue's agents see it and one of them takes it, whatever the interleaving; it closes
 * by hand with a reason, after which the next missed call opens a new one; other tenants and other queues' agents
 * never see it.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class CallbackTests {

	static final HangupCause NORMAL = new HangupCause("16", "Normal Clearing", null);

	@Autowired
	CallReports reports;

	@Autowired
	CallbackManagement callbacks;

	@Autowired
	InboundNumberManagement numbers;

	@Autowired
	QueueManagement queues;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TenantId tenant;

	TenantId other;

	ProviderConnectionId connection;

	String routed;

	UserId ana;

	UserId bia;

	UserId caio;

	final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	@BeforeEach
	void tenantQueueAndAgents() {
		var fixture = new TestTenants(tenants, context);
		tenant = fixture.create("cb", "Callbacks");
		other = fixture.create("co", "Other");
		var members = new TestMembers(jdbc, transactions, context);
		ana = members.add(tenant, "ana", "agent");
		bia = members.add(tenant, "bia", "agent");
		caio = members.add(tenant, "caio", "agent");
		connection = ConnectionRows.insert(jdbc, transactions, context, tenant, false);
		var support = context.callAs(tenant, () -> queues.create("Support", List.of(ana, bia))).id();
		context.callAs(tenant, () -> queues.create("Sales", List.of(caio)));
		routed = "4833" + (100000 + ThreadLocalRandom.current().nextInt(900000));
		context.callAs(tenant, () -> numbers.create(new InboundNumberDraft(connection, routed, support, null)));
	}

	/** A customer calls from {@code from} and hangs up before anyone answers. */
	CallId missed(String from, String channel) {
		var call = context.callAs(tenant, () -> reports.arrived(InboundCall.of(connection, channel, from, "Maria",
				routed, t0))).call();
		context.runAs(tenant, () -> reports.apply(new ProviderCallEvent(call, "test:ended:" + channel, Type.ENDED,
				CallLeg.CUSTOMER, t0.plusSeconds(30), channel, NORMAL, null)));
		return call;
	}

	List<CallbackDetails> seenBy(UserId agent) {
		return context.callAs(tenant, () -> callbacks.list(CurrentUser.agent(agent), false));
	}

	@Test
	void aMissedCallLeavesATaskOnItsQueueWhichARepeatCallJoins(Scenario scenario) {
		var number = "4899" + (1000000 + ThreadLocalRandom.current().nextInt(8000000));
		scenario.stimulate(() -> missed(number, "m-1"))
			.andWaitForEventOfType(CallbackCreated.class)
			.matching(created -> created.tenantId().equals(tenant))
			.toArriveAndVerify((created, call) -> assertThat(created.callId()).isEqualTo(call));

		var tasks = seenBy(ana);
		assertThat(tasks).hasSize(1);
		var task = tasks.getFirst();
		assertThat(task.state()).isEqualTo(CallbackState.OPEN);
		assertThat(task.number()).isEqualTo("+55" + number);
		assertThat(task.callerName()).isEqualTo("Maria");
		assertThat(task.missedCalls()).isEqualTo(1);
		assertThat(task.contact()).isNotNull();
		assertThat(task.ticket()).isNotNull();

		// The same caller again, their number spelt another way: the open task gathers both calls.
		var again = missed("0" + number, "m-2");
		assertThat(seenBy(bia)).singleElement().satisfies(joined -> {
			assertThat(joined.id()).isEqualTo(task.id());
			assertThat(joined.missedCalls()).isEqualTo(2);
			assertThat(joined.lastCall()).isEqualTo(again);
		});
		// Sales' agent, another tenant's admin: neither sees it.
		assertThat(seenBy(caio)).isEmpty();
		assertThat(context.callAs(other, () -> callbacks.list(CurrentUser.admin(UserId.of("x")), true))).isEmpty();
		assertThatThrownBy(() -> context.callAs(tenant, () -> callbacks.take(task.id(), CurrentUser.agent(caio))))
			.isInstanceOf(CallbackNotFoundException.class);
	}

	@Test
	void oneAgentTakesATaskWhateverTheInterleavingAndTheOtherIsToldWho() throws Exception {
		missed("4899" + (1000000 + ThreadLocalRandom.current().nextInt(8000000)), "t-1");
		var task = seenBy(ana).getFirst();
		var start = new CountDownLatch(1);

		var byAna = CompletableFuture.supplyAsync(() -> attempt(task.id(), ana, start));
		var byBia = CompletableFuture.supplyAsync(() -> attempt(task.id(), bia, start));
		start.countDown();

		var outcomes = List.of(byAna.get(), byBia.get());
		assertThat(outcomes).filteredOn(outcome -> outcome.equals("taken")).hasSize(1);
		assertThat(outcomes).filteredOn(outcome -> outcome.startsWith("Callback " + task.id() + " was taken by "))
			.hasSize(1);
		var taken = seenBy(ana).getFirst();
		assertThat(taken.state()).isEqualTo(CallbackState.TAKEN);
		assertThat(List.of(ana, bia)).contains(taken.takenBy());
		// Taking it again is fine for its taker.
		assertThat(context.callAs(tenant, () -> callbacks.take(task.id(), CurrentUser.agent(taken.takenBy()))).state())
			.isEqualTo(CallbackState.TAKEN);
	}

	String attempt(CallbackId id, UserId agent, CountDownLatch start) {
		try {
			start.await();
			context.callAs(tenant, () -> callbacks.take(id, CurrentUser.agent(agent)));
			return "taken";
		}
		catch (CallNotPossibleException ex) {
			return ex.getBody().getDetail();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	@Test
	void aTaskClosesByHandWithAReasonAndTheNextMissedCallOpensANewOne() {
		var number = "4899" + (1000000 + ThreadLocalRandom.current().nextInt(8000000));
		missed(number, "c-1");
		var task = seenBy(ana).getFirst();

		assertThatThrownBy(() -> context.callAs(tenant, () -> callbacks.close(task.id(), " ", CurrentUser.agent(ana))))
			.hasMessageContaining("Say in 1 to 200 characters");
		var closed = context.callAs(tenant, () -> callbacks.close(task.id(), "Wrote an e-mail instead",
				CurrentUser.agent(ana)));
		assertThat(closed.state()).isEqualTo(CallbackState.CLOSED);
		assertThat(closed.closeReason()).isEqualTo("Wrote an e-mail instead");
		assertThat(seenBy(ana)).isEmpty();
		assertThatThrownBy(() -> context.callAs(tenant, () -> callbacks.take(task.id(), CurrentUser.agent(bia))))
			.hasMessageContaining("is closed already");

		missed(number, "c-2");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seenBy(bia)).singleElement()
			.satisfies(fresh -> assertThat(fresh.id()).isNotEqualTo(task.id())));
		assertThat(context.callAs(tenant, () -> callbacks.list(CurrentUser.agent(ana), true))).hasSize(2);
		assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from callbacks where closed_at is not null "
				+ "and close_reason = 'Wrote an e-mail instead'").query(Long.class).single())).isEqualTo(1);
	}
}

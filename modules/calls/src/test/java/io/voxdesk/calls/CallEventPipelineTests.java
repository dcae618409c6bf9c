package io.voxdesk.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.tickets.TicketDraft;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TicketNotFoundException;
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TimelineEntry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How connectors' events go in: applied in batches by one worker, each caller answered once its event is committed,
 * the timeline entry committed with the change, observers told in commit order, and a failing event failing alone.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
class CallEventPipelineTests {

	/** Every state observers were told, per call, in the order they were told. */
	@TestConfiguration
	static class Observed {

		final Map<CallId, List<CallStatus>> states = new ConcurrentHashMap<>();

		@Bean
		CallObserver recordingObserver() {
			return (tenant, call) -> states.computeIfAbsent(call.id(), id -> new CopyOnWriteArrayList<>()).add(call.status());
		}
	}

	static final HangupCause NORMAL = new HangupCause("16", "Normal Clearing", null);

	@Autowired
	CallManagement calls;

	@Autowired
	CallReports reports;

	@Autowired
	TicketManagement tickets;

	@Autowired
	ContactManagement contacts;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	Observed observed;

	TenantId tenant;

	String agent = UUID.randomUUID().toString();

	Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	@BeforeEach
	void tenant() {
		tenant = new TestTenants(tenants, context).create("p", "Pipeline");
	}

	TicketId ticket() {
		return context.callAs(tenant, () -> {
			var contact = contacts.create(new ContactDraft("Maria Souza",
					List.of(new ContactDraft.PhoneDraft("(48) 3332-8530", null)), null, List.of(), List.of()));
			return tickets.create(new TicketDraft("Refund", TicketPriority.NORMAL, contact.id(), null, null, null),
					CurrentUser.SYSTEM).id();
		});
	}

	CallId call(UUID ticket) {
		var id = CallId.random();
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, ticket_id, record, requested_at, created_at, updated_at, version)
				values (:id, :tenant, 'outbound', 'RINGING', :connection, 'asterisk', :agent, 'Ana', '1001',
				  '+554833328530', :ticket, false, :at, :at, :at, 0)""")
			.param("id", id.value())
			.param("tenant", tenant.value())
			.param("connection", UUID.randomUUID())
			.param("agent", agent)
			.param("ticket", ticket)
			.param("at", Timestamp.from(t0))
			.update()));
		return id;
	}

	ProviderCallEvent answered(CallId call) {
		return new ProviderCallEvent(call, "t:answered", Type.ANSWERED, CallLeg.CUSTOMER, t0.plusSeconds(5), null, null,
				null);
	}

	ProviderCallEvent ended(CallId call) {
		return new ProviderCallEvent(call, "t:ended", Type.ENDED, CallLeg.CUSTOMER, t0.plusSeconds(65), null, NORMAL,
				null);
	}

	boolean apply(ProviderCallEvent event) {
		return context.callAs(tenant, () -> reports.apply(event));
	}

	CallStatus status(CallId call) {
		return context.callAs(tenant, () -> calls.find(call)).orElseThrow().status();
	}

	List<String> entries(TicketId ticket) {
		return context.callAs(tenant, () -> tickets.timeline(ticket, 0, 100, CurrentUser.SYSTEM))
			.stream()
			.map(TimelineEntry::type)
			.filter(type -> type.startsWith("call."))
			.toList();
	}

	@Test
	void eventsFromManyThreadsAreEachAppliedOnceCommittedWithTheirEntriesAndObservedInOrder() throws Exception {
		var ticket = ticket();
		var ids = new ArrayList<CallId>();
		for (var i = 0; i < 40; i++) {
			ids.add(call(ticket.value()));
		}
		var pool = Executors.newFixedThreadPool(8);
		var results = new ArrayList<Future<List<Boolean>>>();
		for (var call : ids) {
			// Each call's events in order on one thread, every event twice, as a reconnecting connector might.
			results.add(pool.submit(() -> List.of(apply(answered(call)), apply(answered(call)), apply(ended(call)),
					apply(ended(call)))));
		}
		for (var result : results) {
			// Answered only once committed, so what the caller was told is already in the database.
			assertThat(result.get(30, TimeUnit.SECONDS)).containsExactly(true, false, true, false);
		}
		pool.shutdown();

		for (var call : ids) {
			assertThat(status(call)).isEqualTo(CallStatus.COMPLETED);
		}
		// Observers are told on a thread of their own, in commit order.
		await().untilAsserted(() -> assertThat(ids).allSatisfy(call -> assertThat(observed.states.get(call))
			.containsExactly(CallStatus.ANSWERED, CallStatus.COMPLETED)));
		var entries = entries(ticket);
		assertThat(entries).hasSize(80);
		assertThat(entries.stream().filter("call.answered"::equals)).hasSize(40);
		assertThat(entries.stream().filter("call.ended"::equals)).hasSize(40);
	}

	@Test
	void anEventThatCannotBeRecordedFailsAloneAndLeavesItsCallAsItWas(CapturedOutput output) throws Exception {
		var ticket = ticket();
		var blocker = call(ticket.value());
		var good = call(ticket.value());
		// A call whose ticket is gone: its timeline entry cannot be written, so its change must not be either.
		var orphan = call(UUID.randomUUID());

		// Hold the first call's row lock, so the worker waits on it while the next two events queue up together.
		var locked = new CountDownLatch(1);
		var release = new CountDownLatch(1);
		var pool = Executors.newFixedThreadPool(4);
		pool.submit(() -> context.runAs(tenant, () -> transactions.executeWithoutResult(status -> {
			jdbc.sql("select id from calls where id = ? for update").param(blocker.value()).query(UUID.class).single();
			locked.countDown();
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		})));
		assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
		var first = pool.submit(() -> apply(answered(blocker)));
		await().until(() -> jdbc.sql("select count(*) from pg_locks where not granted and locktype = 'transactionid'")
			.query(Long.class)
			.single() > 0);
		var waiting = new CopyOnWriteArrayList<Thread>();
		var goodResult = pool.submit(() -> {
			waiting.add(Thread.currentThread());
			return apply(answered(good));
		});
		var orphanResult = pool.submit(() -> {
			waiting.add(Thread.currentThread());
			return apply(answered(orphan));
		});
		await().until(() -> waiting.size() == 2
				&& waiting.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING));
		release.countDown();

		assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
		assertThat(goodResult.get(30, TimeUnit.SECONDS)).isTrue();
		var failure = org.assertj.core.api.Assertions.catchThrowable(() -> orphanResult.get(30, TimeUnit.SECONDS));
		assertThat(failure).hasRootCauseInstanceOf(TicketNotFoundException.class);
		pool.shutdown();

		assertThat(output).contains("Batch of 2 call events for tenant " + tenant.value() + " failed");
		assertThat(status(good)).isEqualTo(CallStatus.ANSWERED);
		assertThat(entries(ticket)).containsExactly("call.answered", "call.answered");
		// Nothing of the failed event was kept, not even its key: the connector may hand it in again.
		assertThat(status(orphan)).isEqualTo(CallStatus.RINGING);
		assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from call_events where call_id = ?")
			.param(orphan.value())
			.query(Long.class)
			.single())).isZero();
		assertThat(observed.states.get(orphan)).isNull();
	}
}

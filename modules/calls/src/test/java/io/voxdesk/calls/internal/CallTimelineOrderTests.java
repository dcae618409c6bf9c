package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.spi.ProviderCallEvent;
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
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TimelineEntry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A call's timeline starts with {@code call.started}, even when the call ends before the event worker got to that
 * entry: the dialer's "could not be placed" does not go through the worker, so it must not overtake it.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class CallTimelineOrderTests {

	@Autowired
	CallWorkflow workflow;

	@Autowired
	CallEventPipeline pipeline;

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

	TenantId tenant;

	Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	@BeforeEach
	void tenant() {
		tenant = new TestTenants(tenants, context).create("o", "Timeline order");
	}

	@Test
	void aCallRefusedAtOnceShowsStartedBeforeEndedWhileTheWorkerIsBusy() throws Exception {
		var ticket = ticket();
		var busy = call(ticket);
		var refused = call(ticket);
		var locked = new CountDownLatch(1);
		var release = new CountDownLatch(1);
		// The worker gets stuck behind a lock on another call, as behind any slow batch.
		var holder = CompletableFuture.runAsync(() -> context.runAs(tenant, () -> transactions.executeWithoutResult(
				status -> {
					jdbc.sql("select id from calls where id = :id for update").param("id", busy.value()).query().listOfRows();
					locked.countDown();
					awaitLatch(release);
				})));
		awaitLatch(locked);
		context.runAs(tenant, () -> pipeline.submit(new ProviderCallEvent(busy, "test:ringing", ProviderCallEvent.Type.RINGING,
				CallLeg.AGENT, t0.plusSeconds(1), "chan-busy", null, null)));
		await().atMost(Duration.ofSeconds(10)).until(this::someoneWaitsForALock);

		// What the click's commit and the dialer's refusal do, in that order.
		pipeline.started(tenant, refused);
		context.runAs(tenant, () -> workflow.fail(refused, "The PBX refused the call: Endpoint not found"));
		release.countDown();
		holder.get(10, TimeUnit.SECONDS);

		await().atMost(Duration.ofSeconds(10)).until(() -> entriesOf(ticket, refused).size() == 2);
		assertThat(entriesOf(ticket, refused)).extracting(TimelineEntry::type).containsExactly("call.started", "call.ended");
	}

	private boolean someoneWaitsForALock() {
		return jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")
			.query(Long.class)
			.single() > 0;
	}

	private List<TimelineEntry> entriesOf(TicketId ticket, CallId call) {
		return context.callAs(tenant, () -> tickets.timeline(ticket, 0, 100, CurrentUser.SYSTEM))
			.stream()
			.filter(entry -> call.toString().equals(entry.data().get("callId")))
			.toList();
	}

	private TicketId ticket() {
		return context.callAs(tenant, () -> {
			var contact = contacts.create(new ContactDraft("Maria Souza",
					List.of(new ContactDraft.PhoneDraft("(48) 3332-8530", null)), null, List.of(), List.of()));
			return tickets.create(new TicketDraft("No signal", TicketPriority.NORMAL, contact.id(), null, null, null),
					CurrentUser.SYSTEM).id();
		});
	}

	/** A click-to-call's record as the click commits it (this module has no connector to place it). */
	private CallId call(TicketId ticket) {
		var id = CallId.random();
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, ticket_id, record, requested_at, created_at, updated_at, version)
				values (:id, :tenant, 'outbound', 'RINGING', :connection, 'asterisk', 'ana', 'Ana', '1001',
				  '+554833328530', :ticket, false, :at, :at, :at, 0)""")
			.param("id", id.value())
			.param("tenant", tenant.value())
			.param("connection", UUID.randomUUID())
			.param("ticket", ticket.value())
			.param("at", Timestamp.from(t0))
			.update()));
		return id;
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The test never released the lock");
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}

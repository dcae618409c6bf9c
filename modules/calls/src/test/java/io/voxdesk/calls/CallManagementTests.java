package io.voxdesk.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
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
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The calls module against the real database: provider events applied once, in any order, per tenant, and the
 * call's entries on its ticket's timeline. Click-to-call through a real connector is tested in the app module.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class CallManagementTests {

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
	ExtensionManagement extensions;

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

	UserId ana = UserId.of(UUID.randomUUID().toString());

	Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	@BeforeEach
	void tenants() {
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("c", "Calls");
		other = testTenants.create("x", "Other");
	}

	TicketId ticket() {
		return context.callAs(tenant, () -> {
			var contact = contacts.create(new ContactDraft("Maria Souza",
					List.of(new ContactDraft.PhoneDraft("(48) 3332-8530", null)), null, List.of(), List.of()));
			return tickets.create(new TicketDraft("Refund", TicketPriority.NORMAL, contact.id(), null, null, null),
					CurrentUser.SYSTEM).id();
		});
	}

	/** A call record as click-to-call leaves it, written directly because this module has no connector. */
	CallId call(TenantId in, TicketId ticket) {
		var id = CallId.random();
		context.runAs(in, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, ticket_id, record, requested_at, created_at, updated_at, version)
				values (:id, :tenant, 'outbound', 'RINGING', :connection, 'asterisk', :agent, 'Ana', '1001',
				  '+554833328530', :ticket, false, :at, :at, :at, 0)""")
			.param("id", id.value())
			.param("tenant", in.value())
			.param("connection", UUID.randomUUID())
			.param("agent", ana.value())
			.param("ticket", ticket == null ? null : ticket.value())
			.param("at", Timestamp.from(t0))
			.update()));
		return id;
	}

	ProviderCallEvent event(CallId call, Type type, CallLeg leg, int second) {
		return new ProviderCallEvent(call, "test:" + type + ":" + leg, type, leg, t0.plusSeconds(second), "chan-" + leg,
				type == Type.ENDED ? NORMAL : null, null);
	}

	List<TimelineEntry> callEntries(TicketId ticket) {
		return context.callAs(tenant, () -> tickets.timeline(ticket, 0, 100, CurrentUser.SYSTEM))
			.stream()
			.filter(entry -> entry.type().startsWith("call."))
			.toList();
	}

	@Test
	void providerEventsMakeTheCallAndEachAppearsOnceOnTheTicketTimelineEvenWhenRepeated(Scenario scenario) {
		var ticket = ticket();
		var call = call(tenant, ticket);
		var events = List.of(event(call, Type.ANSWERED, CallLeg.AGENT, 1), event(call, Type.RINGING, CallLeg.CUSTOMER, 2),
				event(call, Type.ANSWERED, CallLeg.CUSTOMER, 5), event(call, Type.ENDED, CallLeg.CUSTOMER, 65),
				event(call, Type.ENDED, CallLeg.AGENT, 66));

		scenario.stimulate(() -> context.runAs(tenant, () -> {
			events.forEach(reports::apply);
			events.forEach(reports::apply);
		}))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.callId().equals(call))
			.toArriveAndVerify(ended -> {
				assertThat(ended.outcome()).isEqualTo(CallOutcome.ANSWERED);
				assertThat(ended.talkSeconds()).isEqualTo(60);
			});

		var details = context.callAs(tenant, () -> calls.find(call)).orElseThrow();
		assertThat(details.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(details.answeredAt()).isEqualTo(t0.plusSeconds(5));
		assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from call_events where call_id = ?")
			.param(call.value())
			.query(Long.class)
			.single())).isEqualTo(5);
		// Committed with the change that caused them, so there is nothing to wait for. The call was inserted
		// directly, not clicked: "call.started" is click-to-call's entry.
		assertThat(callEntries(ticket)).extracting(TimelineEntry::type).containsExactly("call.answered", "call.ended");
		assertThat(callEntries(ticket).get(1).summary()).isEqualTo("Call ended: talked 1 min 0 s");
	}

	@Test
	void aHangupBeforeTheAnswerIsCorrectedOnTheTimelineWhenTheAnswerArrivesLate(Scenario scenario) {
		var ticket = ticket();
		var call = call(tenant, ticket);
		scenario.stimulate(() -> context.runAs(tenant, () -> reports.apply(event(call, Type.ENDED, CallLeg.CUSTOMER, 40))))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.callId().equals(call))
			.toArriveAndVerify(ended -> assertThat(ended.outcome()).isEqualTo(CallOutcome.CANCELLED));

		scenario.stimulate(() -> context.runAs(tenant, () -> reports.apply(event(call, Type.ANSWERED, CallLeg.CUSTOMER, 10))))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.callId().equals(call) && ended.corrected())
			.toArriveAndVerify(ended -> {
				assertThat(ended.outcome()).isEqualTo(CallOutcome.ANSWERED);
				assertThat(ended.talkSeconds()).isEqualTo(30);
			});
		org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(callEntries(ticket))
			.extracting(TimelineEntry::summary)
			.contains("Call ended: cancelled (16 Normal Clearing)", "Call ending corrected: talked 30 s"));
	}

	@Test
	void anEventForAnUnknownCallOrAnotherTenantsCallChangesNothing() {
		var ticket = ticket();
		var call = call(tenant, ticket);
		assertThat(context.callAs(tenant, () -> reports.apply(event(CallId.random(), Type.ANSWERED, CallLeg.CUSTOMER, 1))))
			.isFalse();
		// The attack: tenant "other" reports an answer for tenant's call id, e.g. through its own webhook URL.
		assertThat(context.callAs(other, () -> reports.apply(event(call, Type.ANSWERED, CallLeg.CUSTOMER, 1)))).isFalse();
		assertThat(context.callAs(other, () -> calls.find(call))).isEmpty();
		var details = context.callAs(tenant, () -> calls.find(call)).orElseThrow();
		assertThat(details.status()).isEqualTo(CallStatus.RINGING);
		assertThat(details.answeredAt()).isNull();
	}

	@Test
	void theAgentsNoteAndDispositionGoOnTheTimelineAndOnlyTheyOrAnAdminMayWriteThem(Scenario scenario) {
		var ticket = ticket();
		var call = call(tenant, ticket);
		var bruno = UserId.of(UUID.randomUUID().toString());

		// The attack: another agent of the same tenant writes on Ana's call.
		assertThatThrownBy(() -> context.runAs(tenant, () -> calls.annotate(call, "Not my call", null, CurrentUser.agent(bruno))))
			.isInstanceOf(CallNotFoundException.class);

		scenario.stimulate(() -> context.callAs(tenant,
				() -> calls.annotate(call, "Will pay on Friday", "callback", CurrentUser.agent(ana))))
			.andWaitForEventOfType(CallNoted.class)
			.matching(noted -> noted.callId().equals(call))
			.toArriveAndVerify((noted, details) -> {
				assertThat(details.note()).isEqualTo("Will pay on Friday");
				assertThat(details.disposition()).isEqualTo("callback");
			});
		org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(callEntries(ticket))
			.extracting(TimelineEntry::type)
			.contains("call.note"));
		var entry = callEntries(ticket).stream().filter(e -> e.type().equals("call.note")).findFirst().orElseThrow();
		assertThat(entry.data()).containsEntry("note", "Will pay on Friday").containsEntry("disposition", "callback");
	}

	@Test
	void clickToCallNeedsAnActiveExtensionThenAnEnabledConnection() {
		var ticket = ticket();
		assertThatThrownBy(() -> context.runAs(tenant, () -> calls.clickToCall("(48) 3332-8530", ticket, null, ana, "Ana",
				CurrentUser.agent(ana))))
			.isInstanceOf(CallNotPossibleException.class)
			.hasMessageContaining("no active personal extension");
		context.runAs(tenant, () -> extensions.save(ana, ExtensionDraft.of("1001", false)));
		assertThatThrownBy(() -> context.runAs(tenant, () -> calls.clickToCall("(48) 3332-8530", ticket, null, ana, "Ana",
				CurrentUser.agent(ana))))
			.as("an inactive extension rings nobody")
			.isInstanceOf(CallNotPossibleException.class)
			.hasMessageContaining("no active personal extension");
		context.runAs(tenant, () -> extensions.save(ana, ExtensionDraft.of("1001", true)));
		assertThatThrownBy(() -> context.runAs(tenant, () -> calls.clickToCall("(48) 3332-8530", ticket, null, ana, "Ana",
				CurrentUser.agent(ana))))
			.isInstanceOf(CallNotPossibleException.class)
			.hasMessageContaining("no enabled provider connection");
	}
}

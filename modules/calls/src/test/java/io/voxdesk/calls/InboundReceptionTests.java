package io.voxdesk.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.InboundCall;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;
import io.voxdesk.tickets.TicketManagement;
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
 * Calls a connector announces: routed by the number dialled in whatever spelling the provider uses, recorded once
 * however often they are announced, refused as not configured when nobody in the tenant routed the number, and
 * never routed by another tenant's numbers.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class InboundReceptionTests {

	@Autowired
	CallReports reports;

	@Autowired
	CallManagement calls;

	@Autowired
	InboundNumberManagement numbers;

	@Autowired
	QueueManagement queues;

	@Autowired
	ContactManagement contacts;

	@Autowired
	TicketManagement tickets;

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

	ProviderConnectionId othersConnection;

	QueueId support;

	final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	/** Numbers are unique across tenants and runs share the database: each test routes numbers of its own. */
	String routed;

	String unrouted;

	static String fresh() {
		return "4833" + (100000 + ThreadLocalRandom.current().nextInt(900000));
	}

	@BeforeEach
	void tenantsWithConnections() {
		routed = fresh();
		unrouted = fresh();
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("r", "Reception");
		other = testTenants.create("o", "Other");
		connection = connection(tenant);
		othersConnection = connection(other);
		support = context.callAs(tenant, () -> queues.create("Support", List.of())).id();
		context.callAs(tenant, () -> numbers.create(new InboundNumberDraft(connection, routed, support, null)));
	}

	ProviderConnectionId connection(TenantId in) {
		return ConnectionRows.insert(jdbc, transactions, context, in, true);
	}

	InboundCall arrival(ProviderConnectionId on, String channel, String dialled) {
		return InboundCall.of(on, channel, "(48) 99999-0000", "Alice", dialled, t0);
	}

	CallDetails record(TenantId in, CallId call) {
		return context.callAs(in, () -> calls.find(call)).orElseThrow();
	}

	@Test
	void theDialledNumberIsReadInEachSpellingProvidersUseAndTheCallWaitsInItsQueue() {
		for (var spelling : List.of(routed, "55" + routed, "+55" + routed, "0" + routed)) {
			var route = context.callAs(tenant, () -> reports.arrived(arrival(connection, "chan-" + spelling, spelling)));

			assertThat(route.refused()).as(spelling).isFalse();
			var call = record(tenant, route.call());
			assertThat(call.direction()).isEqualTo("inbound");
			assertThat(call.status()).isEqualTo(CallStatus.RINGING);
			assertThat(call.queue()).isEqualTo(support);
			assertThat(call.dialled()).isEqualTo("+55" + routed);
			assertThat(call.number()).isEqualTo("+5548999990000");
			assertThat(call.callerName()).isEqualTo("Alice");
			assertThat(call.agent()).isNull();
			assertThat(call.providerCallId()).isEqualTo("chan-" + spelling);
		}
	}

	@Test
	void aCallAnnouncedAgainIsTheSameCallWithTheSameDecision() {
		var first = context.callAs(tenant, () -> reports.arrived(arrival(connection, "1795300186.15", routed)));
		var again = context.callAs(tenant, () -> reports.arrived(arrival(connection, "1795300186.15", routed)));
		var refused = context.callAs(tenant, () -> reports.arrived(arrival(connection, "1795300186.16", unrouted)));
		var refusedAgain = context.callAs(tenant, () -> reports.arrived(arrival(connection, "1795300186.16", unrouted)));

		assertThat(again).isEqualTo(first);
		assertThat(refusedAgain).isEqualTo(refused);
		assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from calls where provider_call_id like '1795300186.1_'")
			.query(Long.class)
			.single())).isEqualTo(2);
	}

	@Test
	void aNumberNobodyRoutedIsRefusedAsNotConfiguredWithAReasonAnAdminCanActOn(Scenario scenario) {
		scenario.stimulate(() -> context.callAs(tenant, () -> reports.arrived(arrival(connection, "c-1", unrouted))))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.tenantId().equals(tenant))
			.toArriveAndVerify((ended, route) -> {
				assertThat(route.refused()).isTrue();
				assertThat(ended.callId()).isEqualTo(route.call());
				assertThat(ended.status()).isEqualTo(CallStatus.FAILED);
				assertThat(ended.outcome()).isEqualTo(CallOutcome.NOT_CONFIGURED);
				var call = record(tenant, route.call());
				assertThat(call.failureReason()).isEqualTo("Not configured: nobody routed +55" + unrouted + " to a queue or a "
						+ "user, so the caller was told the number is not in service. A tenant admin routes it under "
						+ "Inbound numbers.");
				assertThat(call.endedAt()).isNotNull();
			});
	}

	@Test
	void anotherTenantsNumberNeverRoutesThisTenantsCallsNorSeesThem() {
		context.callAs(other, () -> numbers.create(new InboundNumberDraft(othersConnection, unrouted,
				context.callAs(other, () -> queues.create("Their queue", List.of())).id(), null)));

		// The attack: tenant's PBX sends a call for the other tenant's number into tenant's application.
		var route = context.callAs(tenant, () -> reports.arrived(arrival(connection, "c-2", unrouted)));

		assertThat(route.refused()).isTrue();
		assertThat(record(tenant, route.call()).queue()).isNull();
		assertThat(context.callAs(other, () -> calls.find(route.call()))).isEmpty();
		// A connector announcing a call on another tenant's connection finds no such connection.
		assertThatThrownBy(() -> context.callAs(tenant, () -> reports.arrived(arrival(othersConnection, "c-3",
				unrouted)))).isInstanceOf(IllegalArgumentException.class);
		assertThat(context.callAs(other, () -> jdbc.sql("select count(*) from calls").query(Long.class).single()))
			.isZero();
	}

	@Test
	void aNewCallerBecomesAContactNamedByTheNumberAndTheCallLandsOnTheirTicketInTheNumbersQueue() {
		var first = context.callAs(tenant, () -> reports.arrived(arrival(connection, "t-1", routed)));
		var call = record(tenant, first.call());

		assertThat(call.contact()).isNotNull();
		var contact = context.callAs(tenant, () -> contacts.find(call.contact())).orElseThrow();
		assertThat(contact.name()).isEqualTo("+5548999990000");
		var ticket = context.callAs(tenant, () -> tickets.find(call.ticket(), CurrentUser.SYSTEM)).orElseThrow();
		assertThat(ticket.contactId()).isEqualTo(contact.id());
		assertThat(ticket.queueId()).isEqualTo(support);
		assertThat(ticket.subject()).isEqualTo("Call from Alice (+5548999990000)");
		assertThat(context.callAs(tenant, () -> tickets.timeline(ticket.id(), 0, 100, CurrentUser.SYSTEM)))
			.filteredOn(entry -> entry.type().equals("call.started"))
			.extracting(TimelineEntry::summary)
			.containsExactly("Call from +5548999990000 to +55" + routed);

		// The same caller again, their number spelt another way: the same contact and the same open ticket.
		var again = context.callAs(tenant, () -> reports.arrived(InboundCall.of(connection, "t-2", "048999990000", null,
				routed, t0)));
		assertThat(record(tenant, again.call()).contact()).isEqualTo(contact.id());
		assertThat(record(tenant, again.call()).ticket()).isEqualTo(ticket.id());
	}

	@Test
	void theTenantsPolicyDecidesWhetherNewCallersBecomeContactsAndWhichTicketACallLandsOn() {
		context.callAs(tenant, () -> numbers.changePolicy(new InboundPolicy(false, InboundPolicy.Tickets.NONE)));
		var stranger = context.callAs(tenant, () -> reports.arrived(InboundCall.of(connection, "p-1", "(48) 98888-1234",
				null, routed, t0)));
		assertThat(record(tenant, stranger.call()).contact()).isNull();
		assertThat(record(tenant, stranger.call()).ticket()).isNull();
		assertThat(context.callAs(tenant, () -> contacts.findByPhone("+5548988881234"))).isEmpty();

		var known = context.callAs(tenant, () -> contacts.create(new ContactDraft("Maria Souza",
				List.of(new ContactDraft.PhoneDraft("(48) 97777-4321", null)), null, List.of(), List.of())));
		var fromKnown = context.callAs(tenant, () -> reports.arrived(InboundCall.of(connection, "p-2", "48977774321",
				null, routed, t0)));
		assertThat(record(tenant, fromKnown.call()).contact()).isEqualTo(known.id());
		assertThat(record(tenant, fromKnown.call()).ticket()).isNull();

		context.callAs(tenant, () -> numbers.changePolicy(new InboundPolicy(true, InboundPolicy.Tickets.NEW_TICKET)));
		var one = context.callAs(tenant, () -> reports.arrived(InboundCall.of(connection, "p-3", "48977774321", null,
				routed, t0)));
		var two = context.callAs(tenant, () -> reports.arrived(InboundCall.of(connection, "p-4", "48977774321", null,
				routed, t0)));
		assertThat(record(tenant, one.call()).ticket()).isNotNull().isNotEqualTo(record(tenant, two.call()).ticket());
		assertThat(context.callAs(tenant, () -> numbers.policy()))
			.isEqualTo(new InboundPolicy(true, InboundPolicy.Tickets.NEW_TICKET));
		assertThat(context.callAs(other, () -> numbers.policy())).isEqualTo(InboundPolicy.DEFAULT);
	}
}

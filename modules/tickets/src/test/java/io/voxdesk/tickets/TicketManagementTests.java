package io.voxdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.tenants.TestMembers;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class TicketManagementTests {

	@Autowired
	TicketManagement tickets;

	@Autowired
	QueueManagement queues;

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

	TenantId other;

	UserId ana = UserId.of(UUID.randomUUID().toString());

	UserId bruno = UserId.of(UUID.randomUUID().toString());

	UserId viewerOnly = UserId.of(UUID.randomUUID().toString());

	UserId foreignAgent = UserId.of(UUID.randomUUID().toString());

	@BeforeEach
	void tenants() {
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("t", "Tickets");
		other = testTenants.create("o", "Other");
		member(tenant, ana, "ana", "agent");
		member(tenant, bruno, "bruno", "agent");
		member(tenant, viewerOnly, "vera", "viewer");
		member(other, foreignAgent, "foreign", "agent");
	}

	/** Puts a user in a tenant's directory, as their first signed-in request would. */
	void member(TenantId in, UserId user, String username, String role) {
		new TestMembers(jdbc, transactions, context).add(in, user, username, role);
	}

	<T> T as(Callable<T> work) {
		return context.callAs(tenant, () -> {
			try {
				return work.call();
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	ContactId contact(TenantId in, String name) {
		return context.callAs(in, () -> contacts.create(new ContactDraft(name, List.of(), null, List.of(), List.of())).id());
	}

	TicketDraft draft(String subject) {
		return new TicketDraft(subject, TicketPriority.NORMAL, null, null, null, null);
	}

	@Test
	void creatingATicketPublishesTicketOpenedAndStartsTheTimeline(Scenario scenario) {
		var customer = contact(tenant, "Maria Souza");
		scenario.stimulate(() -> as(() -> tickets.create(new TicketDraft("  Charged twice ", TicketPriority.HIGH, customer,
				null, null, "Customer wants a refund."), CurrentUser.SYSTEM)))
			.andWaitForEventOfType(TicketOpened.class)
			.matching(event -> event.tenantId().equals(tenant))
			.toArriveAndVerify((event, created) -> {
				assertThat(event.ticketId()).isEqualTo(created.id());
				assertThat(event.contactId()).isEqualTo(customer);
				assertThat(created.subject()).isEqualTo("Charged twice");
				assertThat(created.status()).isEqualTo(TicketStatus.PENDING);
				assertThat(created.priority()).isEqualTo(TicketPriority.HIGH);
				var timeline = as(() -> tickets.timeline(created.id(), 0, 100, CurrentUser.SYSTEM));
				assertThat(timeline).extracting(TimelineEntry::type).containsExactly("created", "note");
				assertThat(timeline.get(1).data()).containsEntry("text", "Customer wants a refund.");
			});
	}

	@Test
	void everyActionAppendsToAnOrderedGaplessTimeline() {
		var billing = as(() -> queues.create("Billing", List.of(ana)));
		var support = as(() -> queues.create("Support", List.of(bruno)));
		var ticket = as(() -> tickets.create(new TicketDraft("Refund", TicketPriority.NORMAL, null, billing.id(), null, null),
				CurrentUser.SYSTEM));

		var accepted = as(() -> tickets.accept(ticket.id(), CurrentUser.agent(ana)));
		assertThat(accepted.status()).isEqualTo(TicketStatus.OPEN);
		assertThat(accepted.assigneeId()).isEqualTo(ana);

		var transferred = as(() -> tickets.transfer(ticket.id(), support.id(), null, "Support knows this", CurrentUser.agent(ana)));
		assertThat(transferred.queueId()).isEqualTo(support.id());
		assertThat(transferred.assigneeId()).isNull();
		assertThat(transferred.status()).isEqualTo(TicketStatus.PENDING);

		as(() -> tickets.accept(ticket.id(), CurrentUser.agent(bruno)));
		as(() -> tickets.addNote(ticket.id(), "Refund sent", CurrentUser.agent(bruno)));
		var closed = as(() -> tickets.close(ticket.id(), "Done", CurrentUser.agent(bruno)));
		assertThat(closed.status()).isEqualTo(TicketStatus.CLOSED);
		assertThat(closed.closedAt()).isNotNull();
		var reopened = as(() -> tickets.reopen(ticket.id(), CurrentUser.agent(bruno)));
		assertThat(reopened.status()).isEqualTo(TicketStatus.OPEN);
		assertThat(reopened.closedAt()).isNull();

		var timeline = as(() -> tickets.timeline(ticket.id(), 0, 100, CurrentUser.SYSTEM));
		assertThat(timeline).extracting(TimelineEntry::type)
			.containsExactly("created", "assigned", "transferred", "assigned", "note", "status_changed", "status_changed");
		assertThat(timeline).extracting(TimelineEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
		assertThat(timeline.get(2).data()).containsEntry("fromQueueId", billing.id().toString())
			.containsEntry("toQueueId", support.id().toString())
			.containsEntry("fromAssigneeId", ana.value())
			.containsEntry("note", "Support knows this");
		assertThat(timeline.get(2).summary()).isEqualTo("Transferred to queue Support");
		assertThat(timeline.get(5).data()).containsEntry("from", "open").containsEntry("to", "closed");
		assertThat(as(() -> tickets.timeline(ticket.id(), 5, 100, CurrentUser.SYSTEM))).extracting(TimelineEntry::sequence)
			.containsExactly(6L, 7L);
	}

	@Test
	void closingAndReopeningPublishTheirEvents(Scenario scenario) {
		var ticket = as(() -> tickets.create(draft("Broken headset"), CurrentUser.SYSTEM));
		scenario.stimulate(() -> as(() -> tickets.close(ticket.id(), null, CurrentUser.SYSTEM)))
			.andWaitForEventOfType(TicketClosed.class)
			.matching(event -> event.ticketId().equals(ticket.id()))
			.toArrive();
		scenario.stimulate(() -> as(() -> tickets.reopen(ticket.id(), CurrentUser.SYSTEM)))
			.andWaitForEventOfType(TicketReopened.class)
			.matching(event -> event.ticketId().equals(ticket.id()))
			.toArriveAndVerify(event -> assertThat(event.tenantId()).isEqualTo(tenant));
	}

	@Test
	void assigningPublishesTicketAssigned(Scenario scenario) {
		var ticket = as(() -> tickets.create(draft("New laptop"), CurrentUser.SYSTEM));
		scenario.stimulate(() -> as(() -> tickets.assign(ticket.id(), bruno, CurrentUser.admin(ana))))
			.andWaitForEventOfType(TicketAssigned.class)
			.matching(event -> event.ticketId().equals(ticket.id()))
			.toArriveAndVerify(event -> assertThat(event.assigneeId()).isEqualTo(bruno));
	}

	@Test
	void actionsThatDoNotFitTheTicketsStateAreRefused() {
		var queue = as(() -> queues.create("Sales", List.of(ana, bruno)));
		var ticket = as(() -> tickets.create(new TicketDraft("Quote", TicketPriority.LOW, null, queue.id(), ana, null),
				CurrentUser.SYSTEM));
		assertThatThrownBy(() -> as(() -> tickets.accept(ticket.id(), CurrentUser.agent(bruno))))
			.isInstanceOf(TicketConflictException.class)
			.hasMessageContaining("already handled by ana");
		assertThatThrownBy(() -> as(() -> tickets.assign(ticket.id(), bruno, CurrentUser.agent(ana))))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
		assertThatThrownBy(() -> as(() -> tickets.reopen(ticket.id(), CurrentUser.SYSTEM)))
			.isInstanceOf(TicketConflictException.class);
		as(() -> tickets.close(ticket.id(), null, CurrentUser.SYSTEM));
		assertThatThrownBy(() -> as(() -> tickets.close(ticket.id(), null, CurrentUser.SYSTEM)))
			.isInstanceOf(TicketConflictException.class)
			.hasMessageContaining("already closed");
		assertThatThrownBy(() -> as(() -> tickets.transfer(ticket.id(), null, bruno, null, CurrentUser.SYSTEM)))
			.isInstanceOf(TicketConflictException.class)
			.hasMessageContaining("reopen it first");
		assertThatThrownBy(() -> as(() -> tickets.assign(ticket.id(), viewerOnly, CurrentUser.SYSTEM)))
			.isInstanceOf(TicketConflictException.class);
		assertThat(as(() -> tickets.timeline(ticket.id(), 0, 100, CurrentUser.SYSTEM))).extracting(TimelineEntry::type)
			.containsExactly("created", "status_changed");
	}

	@Test
	void agentsSeeTheirQueuesTicketsAndTheirOwnAdminsSeeAll() {
		var billing = as(() -> queues.create("Billing", List.of(ana)));
		var support = as(() -> queues.create("Support", List.of(bruno)));
		var inBilling = as(() -> tickets.create(new TicketDraft("B", TicketPriority.NORMAL, null, billing.id(), null, null),
				CurrentUser.SYSTEM));
		var inSupport = as(() -> tickets.create(new TicketDraft("S", TicketPriority.URGENT, null, support.id(), null, null),
				CurrentUser.SYSTEM));
		var anasOwn = as(() -> tickets.create(new TicketDraft("A", TicketPriority.LOW, null, null, ana, null), CurrentUser.SYSTEM));
		var page = PageRequest.of(0, 50);

		assertThat(as(() -> tickets.list(TicketFilter.ANY, CurrentUser.agent(ana), page)).map(TicketDetails::id))
			.containsExactlyInAnyOrder(inBilling.id(), anasOwn.id());
		assertThat(as(() -> tickets.list(TicketFilter.ANY, CurrentUser.agent(bruno), page)).map(TicketDetails::id))
			.containsExactly(inSupport.id());
		assertThat(as(() -> tickets.find(inSupport.id(), CurrentUser.agent(ana)))).isEmpty();
		assertThatThrownBy(() -> as(() -> tickets.close(inSupport.id(), null, CurrentUser.agent(ana))))
			.isInstanceOf(TicketNotFoundException.class);
		assertThatThrownBy(() -> as(() -> tickets.timeline(inSupport.id(), 0, 10, CurrentUser.agent(ana))))
			.isInstanceOf(TicketNotFoundException.class);
		assertThat(as(() -> tickets.list(TicketFilter.ANY, CurrentUser.admin(bruno),
				PageRequest.of(0, 50, Sort.by(Sort.Direction.DESC, "priority")))).map(TicketDetails::id))
			.containsExactly(inSupport.id(), inBilling.id(), anasOwn.id());

		as(() -> queues.change(support.id(), "Support", List.of(bruno, ana)));
		assertThat(as(() -> tickets.find(inSupport.id(), CurrentUser.agent(ana)))).isPresent();
	}

	@Test
	void listingFiltersByStatusQueueAssigneeAndContactAndPages() {
		var customer = contact(tenant, "Carla");
		var queue = as(() -> queues.create("Field", List.of()));
		var first = as(() -> tickets.create(new TicketDraft("1", TicketPriority.NORMAL, customer, queue.id(), null, null),
				CurrentUser.SYSTEM));
		var second = as(() -> tickets.create(new TicketDraft("2", TicketPriority.NORMAL, customer, null, bruno, null),
				CurrentUser.SYSTEM));
		var third = as(() -> tickets.create(new TicketDraft("3", TicketPriority.NORMAL, null, queue.id(), bruno, null),
				CurrentUser.SYSTEM));
		as(() -> tickets.close(third.id(), null, CurrentUser.SYSTEM));
		var all = CurrentUser.SYSTEM;
		var page = PageRequest.of(0, 10);

		assertThat(ids(new TicketFilter(TicketStatus.PENDING, null, null, null), page)).containsExactly(first.id());
		assertThat(ids(new TicketFilter(null, queue.id(), null, null), page)).containsExactlyInAnyOrder(first.id(), third.id());
		assertThat(ids(new TicketFilter(null, null, bruno, null), page)).containsExactlyInAnyOrder(second.id(), third.id());
		assertThat(ids(new TicketFilter(null, null, null, customer), page)).containsExactlyInAnyOrder(first.id(), second.id());
		assertThat(ids(new TicketFilter(TicketStatus.OPEN, null, bruno, customer), page)).containsExactly(second.id());

		var firstPage = as(() -> tickets.list(TicketFilter.ANY, all, PageRequest.of(0, 2, Sort.by("createdAt"))));
		var secondPage = as(() -> tickets.list(TicketFilter.ANY, all, PageRequest.of(1, 2, Sort.by("createdAt"))));
		assertThat(firstPage.getTotalElements()).isEqualTo(3);
		assertThat(firstPage.map(TicketDetails::id)).containsExactly(first.id(), second.id());
		assertThat(secondPage.map(TicketDetails::id)).containsExactly(third.id());
	}

	List<TicketId> ids(TicketFilter filter, PageRequest page) {
		return as(() -> tickets.list(filter, CurrentUser.SYSTEM, page).map(TicketDetails::id).toList());
	}

	@Test
	void findOrCreateFindsTheOpenTicketThenReopensOrCreatesByTheTenantsPolicy() {
		var customer = contact(tenant, "Caller");
		var created = as(() -> tickets.findOrCreateOpenTicket(customer, "Call from Caller"));
		assertThat(created.subject()).isEqualTo("Call from Caller");
		assertThat(as(() -> tickets.findOrCreateOpenTicket(customer, "again")).id()).isEqualTo(created.id());

		as(() -> tickets.close(created.id(), null, CurrentUser.SYSTEM));
		assertThat(as(() -> tickets.closedTicketPolicy())).isEqualTo(ClosedTicketPolicy.REOPEN);
		var reopened = as(() -> tickets.findOrCreateOpenTicket(customer, "again"));
		assertThat(reopened.id()).isEqualTo(created.id());
		assertThat(reopened.status()).isEqualTo(TicketStatus.PENDING);

		as(() -> tickets.close(created.id(), null, CurrentUser.SYSTEM));
		as(() -> tickets.changeClosedTicketPolicy(ClosedTicketPolicy.CREATE_NEW));
		var fresh = as(() -> tickets.findOrCreateOpenTicket(customer, "Second matter"));
		assertThat(fresh.id()).isNotEqualTo(created.id());
		assertThat(fresh.subject()).isEqualTo("Second matter");
		assertThat(as(() -> tickets.find(created.id(), CurrentUser.SYSTEM)).orElseThrow().status()).isEqualTo(TicketStatus.CLOSED);
		assertThat(context.callAs(other, () -> tickets.closedTicketPolicy())).isEqualTo(ClosedTicketPolicy.REOPEN);
	}

	@Test
	void concurrentFindOrCreateForOneContactAgreesOnOneTicket() throws Exception {
		var customer = contact(tenant, "Busy caller");
		var pool = Executors.newFixedThreadPool(8);
		try {
			var results = new ArrayList<Future<TicketId>>();
			for (var i = 0; i < 8; i++) {
				results.add(pool.submit(() -> as(() -> tickets.findOrCreateOpenTicket(customer, "Call")).id()));
			}
			var ids = new ArrayList<TicketId>();
			for (var result : results) {
				ids.add(result.get());
			}
			assertThat(ids).containsOnly(ids.get(0));
		}
		finally {
			pool.shutdown();
		}
		assertThat(ids(new TicketFilter(null, null, null, customer), PageRequest.of(0, 10))).hasSize(1);
	}

	@Test
	void appendingTheSameIdempotencyKeyTwiceStoresOneEntry(Scenario scenario) throws Exception {
		var ticket = as(() -> tickets.create(draft("Call"), CurrentUser.SYSTEM));
		var draft = new TimelineEntryDraft("call.ended", "Call ended: answered, 2 min 5 s",
				Map.of("outcome", "answered", "durationSeconds", 125), "call-42:ended", Instant.parse("2026-11-20T12:00:00Z"));

		scenario.stimulate(() -> as(() -> tickets.append(ticket.id(), draft)))
			.andWaitForEventOfType(TimelineEntryAppended.class)
			.matching(event -> event.ticketId().equals(ticket.id()) && event.type().equals("call.ended"))
			.toArriveAndVerify((event, entry) -> assertThat(event.sequence()).isEqualTo(entry.sequence()));

		var pool = Executors.newFixedThreadPool(6);
		try {
			var again = new ArrayList<Future<TimelineEntry>>();
			for (var i = 0; i < 6; i++) {
				again.add(pool.submit(() -> as(() -> tickets.append(ticket.id(), draft))));
			}
			for (var entry : again) {
				assertThat(entry.get().sequence()).isEqualTo(2);
			}
		}
		finally {
			pool.shutdown();
		}
		var timeline = as(() -> tickets.timeline(ticket.id(), 0, 100, CurrentUser.SYSTEM));
		assertThat(timeline).extracting(TimelineEntry::type).containsExactly("created", "call.ended");
		assertThat(timeline.get(1).data()).containsEntry("outcome", "answered").containsEntry("durationSeconds", 125);
		assertThat(timeline.get(1).occurredAt()).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));

		as(() -> tickets.append(ticket.id(), new TimelineEntryDraft("call.ended", "Another call", Map.of(), "call-43:ended",
				Instant.now())));
		assertThat(as(() -> tickets.timeline(ticket.id(), 0, 100, CurrentUser.SYSTEM))).hasSize(3);
	}

	@Test
	void aModuleThatReadTheTicketFirstMayAppendAfterAnotherAppendCommittedMeanwhile() throws Exception {
		var ticket = as(() -> tickets.create(draft("Call"), CurrentUser.SYSTEM));
		var pool = Executors.newSingleThreadExecutor();
		try {
			// As click-to-call does: check the ticket, then append, in one transaction; another click on the same
			// ticket commits its own entry in between.
			var entry = as(() -> transactions.execute(status -> {
				tickets.find(ticket.id(), CurrentUser.SYSTEM).orElseThrow();
				try {
					pool.submit(() -> as(() -> tickets.append(ticket.id(), new TimelineEntryDraft("call.started",
							"Bruno called", Map.of(), "call-1:started", Instant.now())))).get();
				}
				catch (Exception e) {
					throw new IllegalStateException(e);
				}
				return tickets.append(ticket.id(), new TimelineEntryDraft("call.started", "Ana called", Map.of(),
						"call-2:started", Instant.now()));
			}));
			assertThat(entry.sequence()).isEqualTo(3);
		}
		finally {
			pool.shutdown();
		}
		assertThat(as(() -> tickets.timeline(ticket.id(), 0, 100, CurrentUser.SYSTEM))).extracting(TimelineEntry::summary)
			.containsExactly("Ticket created: Call", "Bruno called", "Ana called");
	}

	@Test
	void appendingSeveralEntriesAtOnceKeepsTheirOrderAndSkipsKeysSeenBeforeOrInTheSameList() {
		var first = as(() -> tickets.create(draft("First"), CurrentUser.SYSTEM));
		var second = as(() -> tickets.create(draft("Second"), CurrentUser.SYSTEM));
		var at = Instant.parse("2026-11-20T12:00:00Z");
		as(() -> tickets.append(first.id(), new TimelineEntryDraft("call.started", "Ana called", Map.of(), "call-1:started", at)));

		var stored = as(() -> transactions.execute(status -> tickets.appendAll(List.of(
				// Seen before: stored by the append above.
				new TimelineAppend(first.id(), new TimelineEntryDraft("call.started", "Ana called", Map.of(), "call-1:started", at)),
				new TimelineAppend(first.id(), new TimelineEntryDraft("call.answered", "Call answered", Map.of("callId", "1"),
						"call-1:answered", at.plusSeconds(5))),
				new TimelineAppend(second.id(), new TimelineEntryDraft("call.started", "Bruno called", Map.of(),
						"call-2:started", at)),
				// Seen earlier in the same list: a repeated event in one batch.
				new TimelineAppend(first.id(), new TimelineEntryDraft("call.answered", "Call answered", Map.of("callId", "1"),
						"call-1:answered", at.plusSeconds(5))),
				// The same key on another ticket is another entry.
				new TimelineAppend(second.id(), new TimelineEntryDraft("call.answered", "Call answered", Map.of(),
						"call-1:answered", at)),
				new TimelineAppend(first.id(), new TimelineEntryDraft("call.note", "No key", Map.of(), null, at)),
				new TimelineAppend(first.id(), new TimelineEntryDraft("call.note", "No key", Map.of(), null, at))))));

		assertThat(stored).isEqualTo(5);
		assertThat(as(() -> tickets.timeline(first.id(), 0, 100, CurrentUser.SYSTEM)))
			.extracting(TimelineEntry::sequence, TimelineEntry::type)
			.containsExactly(tuple(1L, "created"), tuple(2L, "call.started"), tuple(3L, "call.answered"),
					tuple(4L, "call.note"), tuple(5L, "call.note"));
		assertThat(as(() -> tickets.timeline(second.id(), 0, 100, CurrentUser.SYSTEM))).extracting(TimelineEntry::type)
			.containsExactly("created", "call.started", "call.answered");
	}

	@Test
	void appendingSeveralEntriesWithAnotherTenantsTicketAppendsNothing() {
		var ours = as(() -> tickets.create(draft("Ours"), CurrentUser.SYSTEM));
		var foreignTicket = context.callAs(other, () -> tickets.create(draft("Theirs"), CurrentUser.SYSTEM));

		// The attack: a batch for our tenant slips in the id of another tenant's ticket.
		assertThatThrownBy(() -> as(() -> transactions.execute(status -> tickets.appendAll(List.of(
				new TimelineAppend(ours.id(), new TimelineEntryDraft("call.started", "Ours", Map.of(), "a", Instant.now())),
				new TimelineAppend(foreignTicket.id(), new TimelineEntryDraft("call.started", "Theirs", Map.of(), "b",
						Instant.now())))))))
			.isInstanceOf(TicketNotFoundException.class);
		assertThatThrownBy(() -> as(() -> tickets.appendAll(List.of(new TimelineAppend(ours.id(),
				new TimelineEntryDraft("assigned", "Forged", Map.of(), null, Instant.now()))))))
			.isInstanceOf(IllegalArgumentException.class);

		assertThat(as(() -> tickets.timeline(ours.id(), 0, 10, CurrentUser.SYSTEM))).extracting(TimelineEntry::type)
			.containsExactly("created");
		assertThat(context.callAs(other, () -> tickets.timeline(foreignTicket.id(), 0, 10, CurrentUser.SYSTEM)))
			.extracting(TimelineEntry::type)
			.containsExactly("created");
	}

	@Test
	void otherModulesCannotForgeTheTicketsOwnEntryTypes() {
		var ticket = as(() -> tickets.create(draft("x"), CurrentUser.SYSTEM));
		assertThatThrownBy(() -> as(() -> tickets.append(ticket.id(),
				new TimelineEntryDraft("status_changed", "Closed", Map.of(), null, Instant.now()))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("written by the tickets module itself");
	}

	@Test
	void anotherTenantsContactQueueAgentAndTicketAreRefused() {
		var foreignContact = contact(other, "Foreign");
		var foreignQueue = context.callAs(other, () -> queues.create("Theirs", List.of(foreignAgent)));
		var foreignTicket = context.callAs(other, () -> tickets.create(draft("Theirs"), CurrentUser.SYSTEM));
		var ours = as(() -> tickets.create(draft("Ours"), CurrentUser.SYSTEM));

		assertThatThrownBy(() -> as(() -> tickets.create(new TicketDraft("x", TicketPriority.NORMAL, foreignContact, null,
				null, null), CurrentUser.SYSTEM))).isInstanceOf(UnknownReferenceException.class).hasMessageContaining("Contact");
		assertThatThrownBy(() -> as(() -> tickets.transfer(ours.id(), foreignQueue.id(), null, null, CurrentUser.SYSTEM)))
			.isInstanceOf(UnknownReferenceException.class)
			.hasMessageContaining("Queue");
		assertThatThrownBy(() -> as(() -> tickets.assign(ours.id(), foreignAgent, CurrentUser.admin(ana))))
			.isInstanceOf(UnknownReferenceException.class)
			.hasMessageContaining("not a member");
		assertThatThrownBy(() -> as(() -> tickets.assign(ours.id(), viewerOnly, CurrentUser.admin(ana))))
			.isInstanceOf(UnknownReferenceException.class)
			.hasMessageContaining("neither an agent nor a tenant admin");
		assertThatThrownBy(() -> as(() -> queues.create("Mixed", List.of(ana, foreignAgent))))
			.isInstanceOf(UnknownReferenceException.class);
		assertThatThrownBy(() -> as(() -> tickets.findOrCreateOpenTicket(foreignContact, "x")))
			.isInstanceOf(UnknownReferenceException.class);
		assertThatThrownBy(() -> as(() -> tickets.append(foreignTicket.id(),
				new TimelineEntryDraft("call.started", "Call", Map.of(), "k", Instant.now()))))
			.isInstanceOf(TicketNotFoundException.class);
		assertThat(as(() -> tickets.find(foreignTicket.id(), CurrentUser.SYSTEM))).isEmpty();
		assertThat(as(() -> tickets.list(TicketFilter.ANY, CurrentUser.SYSTEM, PageRequest.of(0, 50))).map(TicketDetails::id))
			.containsExactly(ours.id());
		assertThat(context.callAs(other, () -> tickets.timeline(foreignTicket.id(), 0, 10, CurrentUser.SYSTEM))).hasSize(1);
	}

	@Test
	void rowLevelSecurityHidesAndRefusesForeignTicketRows() {
		context.runAs(other, () -> {
			var queue = queues.create("Theirs", List.of(foreignAgent));
			tickets.create(new TicketDraft("Theirs", TicketPriority.NORMAL, null, queue.id(), null, "note"), CurrentUser.SYSTEM);
			tickets.changeClosedTicketPolicy(ClosedTicketPolicy.CREATE_NEW);
		});
		var visible = context.callAs(tenant, () -> transactions.execute(status -> List.of(
				count("tickets"), count("ticket_queues"), count("ticket_queue_members"), count("ticket_timeline"),
				count("ticket_policies"))));
		assertThat(visible).containsOnly(0L);
		assertThatThrownBy(() -> context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into ticket_queues (id, tenant_id, name, created_at, updated_at, version)
				values (gen_random_uuid(), :other, 'Planted', now(), now(), 0)""").param("other", other.value()).update())))
			.rootCause()
			.hasMessageContaining("violates row-level security policy");
	}

	long count(String table) {
		return jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

	@Test
	void theTimelineIsAppendOnlyForTheApplication() {
		var ticket = as(() -> tickets.create(draft("Audit me"), CurrentUser.SYSTEM));
		assertThatThrownBy(() -> context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc
			.sql("update ticket_timeline set summary = 'rewritten' where ticket_id = :id")
			.param("id", ticket.id().value())
			.update()))).rootCause().hasMessageContaining("permission denied for table ticket_timeline");
		assertThatThrownBy(() -> context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc
			.sql("delete from ticket_timeline where ticket_id = :id")
			.param("id", ticket.id().value())
			.update()))).rootCause().hasMessageContaining("permission denied for table ticket_timeline");
		assertThat(as(() -> tickets.timeline(ticket.id(), 0, 10, CurrentUser.SYSTEM)).get(0).summary())
			.isEqualTo("Ticket created: Audit me");
	}

	@Test
	void theActingUserIsRecordedOnTheirEntries() {
		var ticket = as(() -> tickets.create(draft("Who did it"), CurrentUser.SYSTEM));
		try (var ignored = context.bind(tenant, new Actor(ana.value(), "ana"))) {
			tickets.addNote(ticket.id(), "I called", CurrentUser.admin(ana));
		}
		var note = as(() -> tickets.timeline(ticket.id(), 1, 10, CurrentUser.SYSTEM)).get(0);
		assertThat(note.actorId()).isEqualTo(ana.value());
		assertThat(note.actorName()).isEqualTo("ana");
	}

	@Test
	void aQueueWithActiveTicketsCannotBeDeletedAndNamesAreUniquePerTenant() {
		var queue = as(() -> queues.create("Billing", List.of()));
		assertThatThrownBy(() -> as(() -> queues.create(" billing ", List.of()))).isInstanceOf(TicketConflictException.class);
		assertThat(context.callAs(other, () -> queues.create("Billing", List.of())).name()).isEqualTo("Billing");
		var ticket = as(() -> tickets.create(new TicketDraft("x", TicketPriority.NORMAL, null, queue.id(), null, null),
				CurrentUser.SYSTEM));
		assertThatThrownBy(() -> as(() -> {
			queues.delete(queue.id());
			return null;
		})).isInstanceOf(TicketConflictException.class).hasMessageContaining("1 pending or open");
		as(() -> tickets.close(ticket.id(), null, CurrentUser.SYSTEM));
		as(() -> {
			queues.delete(queue.id());
			return null;
		});
		assertThat(as(() -> tickets.find(ticket.id(), CurrentUser.SYSTEM)).orElseThrow().queueId()).isNull();
		assertThat(as(() -> queues.list())).isEmpty();
	}
}

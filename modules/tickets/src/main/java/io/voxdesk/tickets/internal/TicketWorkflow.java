package io.voxdesk.tickets.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.ClosedTicketPolicy;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketAssigned;
import io.voxdesk.tickets.TicketClosed;
import io.voxdesk.tickets.TicketConflictException;
import io.voxdesk.tickets.TicketDetails;
import io.voxdesk.tickets.TicketDraft;
import io.voxdesk.tickets.TicketFilter;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketOpened;
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TicketReopened;
import io.voxdesk.tickets.TicketStatus;
import io.voxdesk.tickets.TicketTransferred;
import io.voxdesk.tickets.TimelineAppend;
import io.voxdesk.tickets.TimelineEntry;
import io.voxdesk.tickets.TimelineEntryDraft;
import io.voxdesk.tickets.UnknownReferenceException;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rules of what happens to tickets: each change locks the ticket ({@link TicketLocks}), writes the timeline
 * entry that tells it ({@link TicketTimeline}) and publishes the module event, in one transaction. Tickets a viewer
 * may not see ({@link TicketVisibility}) answer as if they did not exist ({@link TicketProblems}).
 */
@Service
class TicketWorkflow {

	private static final Set<String> SORTABLE = Set.of("createdAt", "updatedAt", "priority", "status");

	private final Tickets tickets;

	private final TicketQueues queues;

	private final TicketPolicies policies;

	private final ContactManagement contacts;

	private final TicketHandlers handlers;

	private final TicketLocks locks;

	private final TicketVisibility visibility;

	private final TicketTimeline timeline;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final Clock clock = Clock.systemUTC();

	TicketWorkflow(Tickets tickets, TicketQueues queues, TicketPolicies policies, ContactManagement contacts,
			TicketHandlers handlers, TicketLocks locks, TicketVisibility visibility, TicketTimeline timeline,
			TenantContext context, ApplicationEventPublisher events) {
		this.tickets = tickets;
		this.queues = queues;
		this.policies = policies;
		this.contacts = contacts;
		this.handlers = handlers;
		this.locks = locks;
		this.visibility = visibility;
		this.timeline = timeline;
		this.context = context;
		this.events = events;
	}

	@Transactional
	public TicketDetails create(TicketDraft draft, CurrentUser viewer) {
		var subject = subject(draft.subject());
		checkContact(draft.contactId());
		checkQueue(draft.queueId());
		var assignee = draft.assigneeId();
		if (assignee == null && draft.queueId() == null && !viewer.seesWholeTenant()) {
			// Otherwise the agent could not see the ticket they just opened.
			assignee = viewer.user();
		}
		if (assignee != null) {
			handlers.require(assignee, "tickets");
		}
		var now = clock.instant();
		var ticket = tickets.save(new Ticket(TicketId.random(), subject, draft.priority(), draft.contactId(),
				draft.queueId(), assignee, now));
		var data = new LinkedHashMap<String, Object>();
		data.put("subject", subject);
		data.put("status", ticket.status().code());
		data.put("priority", draft.priority().code());
		putIfPresent(data, "contactId", draft.contactId());
		putIfPresent(data, "queueId", draft.queueId());
		putIfPresent(data, "assigneeId", assignee);
		timeline.record(ticket, "created", "Ticket created: " + subject, data, null, now);
		if (draft.note() != null && !draft.note().isBlank()) {
			timeline.record(ticket, "note", abbreviate(draft.note().strip()), Map.of("text", draft.note().strip()), null, now);
		}
		events.publishEvent(new TicketOpened(context.currentTenant(), ticket.id(), draft.contactId()));
		if (assignee != null) {
			events.publishEvent(new TicketAssigned(context.currentTenant(), ticket.id(), assignee));
		}
		return ticket.toDetails();
	}

	@Transactional(readOnly = true)
	public Optional<TicketDetails> find(TicketId id, CurrentUser viewer) {
		return tickets.findById(id.value()).filter(ticket -> visibility.visible(ticket, viewer)).map(Ticket::toDetails);
	}

	@Transactional(readOnly = true)
	public Page<TicketDetails> list(TicketFilter filter, CurrentUser viewer, Pageable page) {
		var user = viewer.user();
		return tickets
			.list(filter.status(), filter.queueId() == null ? null : filter.queueId().value(),
					filter.assigneeId() == null ? null : filter.assigneeId().value(),
					filter.contactId() == null ? null : filter.contactId().value(), viewer.seesWholeTenant(),
					user == null ? "" : user.value(), visibility.queuesOf(viewer),
					PageRequest.of(page.getPageNumber(), page.getPageSize(), sorted(page.getSort())))
			.map(Ticket::toDetails);
	}

	/** The viewer takes the ticket; taking one's own ticket again changes nothing. */
	@Transactional
	public TicketDetails accept(TicketId id, CurrentUser viewer) {
		var user = viewer.user();
		if (user == null) {
			throw new IllegalArgumentException("Voxdesk itself cannot accept tickets; assign them to an agent");
		}
		var ticket = lockVisible(id, viewer);
		requireNotClosed(ticket, "accepted");
		if (user.equals(ticket.assignee())) {
			return ticket.toDetails();
		}
		var current = ticket.assignee();
		if (current != null && !viewer.admin()) {
			throw new TicketConflictException("Ticket " + id + " is already handled by " + handlers.name(current)
					+ "; ask them or an admin to transfer it to you.");
		}
		var member = handlers.require(user, "tickets");
		return assign(ticket, user, member.username() + " accepted the ticket");
	}

	/** A tenant admin gives the ticket to an agent of the tenant. */
	@Transactional
	public TicketDetails assign(TicketId id, UserId assignee, CurrentUser viewer) {
		if (!viewer.admin()) {
			throw new AccessDeniedException("Only tenant admins assign tickets; agents accept or transfer them.");
		}
		var ticket = lockVisible(id, viewer);
		requireNotClosed(ticket, "assigned");
		var member = handlers.require(assignee, "tickets");
		if (assignee.equals(ticket.assignee())) {
			return ticket.toDetails();
		}
		return assign(ticket, assignee, "Assigned to " + member.username());
	}

	/**
	 * Moves the ticket to another queue, another agent or both. Without an agent it waits in the (new) queue;
	 * without a queue it stays in its queue.
	 */
	@Transactional
	public TicketDetails transfer(TicketId id, @Nullable QueueId queue, @Nullable UserId assignee, @Nullable String note,
			CurrentUser viewer) {
		if (queue == null && assignee == null) {
			throw TicketProblems.badRequest("Nothing to transfer to", "Say where the ticket goes: a queueId, an assigneeId or both.");
		}
		var ticket = lockVisible(id, viewer);
		requireNotClosed(ticket, "transferred");
		checkQueue(queue);
		var member = assignee == null ? null : handlers.require(assignee, "tickets");
		var fromQueue = ticket.queue();
		var fromAssignee = ticket.assignee();
		var toQueue = queue != null ? queue : fromQueue;
		var now = clock.instant();
		ticket.transfer(toQueue, assignee, now);
		var data = new LinkedHashMap<String, Object>();
		putIfPresent(data, "fromQueueId", fromQueue);
		putIfPresent(data, "toQueueId", toQueue);
		putIfPresent(data, "fromAssigneeId", fromAssignee);
		putIfPresent(data, "toAssigneeId", assignee);
		if (note != null && !note.isBlank()) {
			data.put("note", note.strip());
		}
		var target = member != null ? member.username() : "queue " + (toQueue == null ? "(none)" : queueName(toQueue));
		if (assignee != null && toQueue != null && !toQueue.equals(fromQueue)) {
			target += " in queue " + queueName(toQueue);
		}
		timeline.record(ticket, "transferred", "Transferred to " + target, data, null, now);
		events.publishEvent(new TicketTransferred(context.currentTenant(), ticket.id(), toQueue, assignee));
		return ticket.toDetails();
	}

	@Transactional
	public TicketDetails close(TicketId id, @Nullable String note, CurrentUser viewer) {
		var ticket = lockVisible(id, viewer);
		if (ticket.status() == TicketStatus.CLOSED) {
			throw new TicketConflictException("Ticket " + id + " is already closed.");
		}
		changeStatus(ticket, () -> ticket.close(clock.instant()), note);
		events.publishEvent(new TicketClosed(context.currentTenant(), ticket.id()));
		return ticket.toDetails();
	}

	@Transactional
	public TicketDetails reopen(TicketId id, CurrentUser viewer) {
		var ticket = lockVisible(id, viewer);
		if (ticket.status() != TicketStatus.CLOSED) {
			throw new TicketConflictException("Ticket " + id + " is not closed, so it cannot be reopened.");
		}
		changeStatus(ticket, () -> ticket.reopen(clock.instant()), null);
		events.publishEvent(new TicketReopened(context.currentTenant(), ticket.id()));
		return ticket.toDetails();
	}

	@Transactional
	public TimelineEntry addNote(TicketId id, String text, CurrentUser viewer) {
		var ticket = lockVisible(id, viewer);
		var note = text.strip();
		if (note.isEmpty()) {
			throw TicketProblems.badRequest("Empty note", "A note needs some text.");
		}
		return timeline.record(ticket, "note", abbreviate(note), Map.of("text", note), null, clock.instant());
	}

	/** Up to {@code limit} entries after position {@code after}, in order. */
	@Transactional(readOnly = true)
	public List<TimelineEntry> timeline(TicketId id, long after, int limit, CurrentUser viewer) {
		var ticket = tickets.findById(id.value())
			.filter(found -> visibility.visible(found, viewer))
			.orElseThrow(() -> TicketProblems.notFound(id));
		return timeline.after(ticket, after, limit);
	}

	/**
	 * The contact's ticket that is not closed; else, by the tenant's policy, its latest closed ticket reopened or
	 * a new pending ticket. Concurrent calls for one contact wait for each other, so they agree on one ticket.
	 */
	@Transactional
	public TicketDetails findOrCreateOpenTicket(ContactId contact, String subjectIfNew, @Nullable QueueId queueIfNew) {
		checkContact(contact);
		locks.lockContact(contact);
		var open = tickets.findFirstByContactIdAndStatusNotOrderByCreatedAtDesc(contact.value(), TicketStatus.CLOSED);
		if (open.isPresent()) {
			return open.get().toDetails();
		}
		if (policies.current() == ClosedTicketPolicy.REOPEN) {
			var latest = tickets.findFirstByContactIdOrderByCreatedAtDesc(contact.value());
			if (latest.isPresent()) {
				return reopen(latest.get().id(), CurrentUser.SYSTEM);
			}
		}
		return create(new TicketDraft(subjectIfNew, TicketPriority.NORMAL, contact, queueIfNew, null, null),
				CurrentUser.SYSTEM);
	}

	/** Appends another module's entry; an entry with the same idempotency key is returned instead of a second one. */
	@Transactional
	public TimelineEntry append(TicketId id, TimelineEntryDraft draft) {
		TicketTimeline.checkForeignType(draft);
		var ticket = locks.lock(id.value()).orElseThrow(() -> TicketProblems.notFound(id));
		return timeline.appendForeign(ticket, draft);
	}

	/** See {@link io.voxdesk.tickets.TicketManagement#appendAll}. */
	@Transactional
	public int appendAll(List<TimelineAppend> entries) {
		entries.forEach(entry -> TicketTimeline.checkForeignType(entry.draft()));
		var ids = entries.stream().map(entry -> entry.ticket().value()).distinct().toList();
		var locked = locks.lockAll(ids);
		var missing = ids.stream().filter(id -> !locked.containsKey(id)).findFirst();
		if (missing.isPresent()) {
			throw TicketProblems.notFound(TicketId.of(missing.get()));
		}
		return timeline.appendForeign(entries, locked);
	}

	@Transactional(readOnly = true)
	public ClosedTicketPolicy policy() {
		return policies.current();
	}

	@Transactional
	public ClosedTicketPolicy changePolicy(ClosedTicketPolicy policy) {
		policies.change(policy, clock.instant());
		return policy;
	}

	private TicketDetails assign(Ticket ticket, UserId assignee, String summary) {
		var now = clock.instant();
		var from = ticket.assignee();
		var fromStatus = ticket.status();
		ticket.assign(assignee, now);
		var data = new LinkedHashMap<String, Object>();
		putIfPresent(data, "fromAssigneeId", from);
		data.put("toAssigneeId", assignee.value());
		data.put("fromStatus", fromStatus.code());
		data.put("toStatus", ticket.status().code());
		timeline.record(ticket, "assigned", summary, data, null, now);
		events.publishEvent(new TicketAssigned(context.currentTenant(), ticket.id(), assignee));
		return ticket.toDetails();
	}

	private void changeStatus(Ticket ticket, Runnable change, @Nullable String note) {
		var from = ticket.status();
		change.run();
		var data = new LinkedHashMap<String, Object>();
		data.put("from", from.code());
		data.put("to", ticket.status().code());
		if (note != null && !note.isBlank()) {
			data.put("note", note.strip());
		}
		var summary = ticket.status() == TicketStatus.CLOSED ? "Ticket closed" : "Ticket reopened";
		timeline.record(ticket, "status_changed", summary, data, null, clock.instant());
	}

	private Ticket lockVisible(TicketId id, CurrentUser viewer) {
		return locks.lock(id.value())
			.filter(ticket -> visibility.visible(ticket, viewer))
			.orElseThrow(() -> TicketProblems.notFound(id));
	}

	private void checkContact(@Nullable ContactId contact) {
		if (contact != null && contacts.find(contact).isEmpty()) {
			throw new UnknownReferenceException("Contact " + contact + " does not exist in your tenant.");
		}
	}

	private void checkQueue(@Nullable QueueId queue) {
		if (queue != null && !queues.existsById(queue.value())) {
			throw new UnknownReferenceException("Queue " + queue + " does not exist in your tenant.");
		}
	}

	private String queueName(QueueId queue) {
		return queues.findById(queue.value()).map(TicketQueue::name).orElse(queue.toString());
	}

	private static void requireNotClosed(Ticket ticket, String action) {
		if (ticket.status() == TicketStatus.CLOSED) {
			throw new TicketConflictException("Ticket " + ticket.id() + " is closed and cannot be " + action
					+ "; reopen it first.");
		}
	}

	private static Sort sorted(Sort sort) {
		for (var order : sort) {
			if (!SORTABLE.contains(order.getProperty())) {
				throw TicketProblems.badRequest("Invalid sort", "Tickets cannot be sorted by '" + order.getProperty()
						+ "'; sort by createdAt, updatedAt, priority or status.");
			}
		}
		return (sort.isSorted() ? sort : Sort.by(Sort.Direction.DESC, "updatedAt")).and(Sort.by("id"));
	}

	private static String subject(String subject) {
		var stripped = Objects.requireNonNull(subject).strip();
		if (stripped.isEmpty() || stripped.length() > 200) {
			throw TicketProblems.badRequest("Invalid subject", "A ticket subject needs 1 to 200 characters.");
		}
		return stripped;
	}

	private static void putIfPresent(Map<String, Object> data, String key, @Nullable Object value) {
		if (value != null) {
			data.put(key, value.toString());
		}
	}

	private static String abbreviate(String text) {
		var line = text.replaceAll("\\s+", " ");
		return line.length() <= 200 ? line : line.substring(0, 199) + "…";
	}
}

package io.voxdesk.tickets.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

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
import io.voxdesk.tickets.TicketNotFoundException;
import io.voxdesk.tickets.TicketOpened;
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TicketReopened;
import io.voxdesk.tickets.TicketStatus;
import io.voxdesk.tickets.TicketTransferred;
import io.voxdesk.tickets.TimelineAppend;
import io.voxdesk.tickets.TimelineEntry;
import io.voxdesk.tickets.TimelineEntryAppended;
import io.voxdesk.tickets.TimelineEntryDraft;
import io.voxdesk.tickets.UnknownReferenceException;

import org.hibernate.Hibernate;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything that happens to tickets: each change locks the ticket, writes the timeline entry that tells it and
 * publishes the module event, in one transaction. Tickets a viewer may not see answer as if they did not exist.
 */
@Service
public class TicketWorkflow {

	/** Entry types only this module writes, so no other module can forge a ticket's history. */
	static final Set<String> OWN_TYPES = Set.of("created", "status_changed", "assigned", "transferred");

	private static final Set<String> SORTABLE = Set.of("createdAt", "updatedAt", "priority", "status");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	/** Stands for "no queues" in the visibility query, which an empty {@code in} list would break. */
	private static final UUID NO_QUEUE = new UUID(0, 0);

	private final Tickets tickets;

	private final TicketQueues queues;

	private final TimelineRecords timeline;

	private final TicketPolicies policies;

	private final ContactManagement contacts;

	private final TicketHandlers handlers;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final JdbcClient jdbc;

	private final EntityManager entities;

	private final Clock clock = Clock.systemUTC();

	TicketWorkflow(Tickets tickets, TicketQueues queues, TimelineRecords timeline, TicketPolicies policies,
			ContactManagement contacts, TicketHandlers handlers, TenantContext context, ApplicationEventPublisher events,
			JdbcClient jdbc, EntityManager entities) {
		this.tickets = tickets;
		this.queues = queues;
		this.timeline = timeline;
		this.policies = policies;
		this.contacts = contacts;
		this.handlers = handlers;
		this.context = context;
		this.events = events;
		this.jdbc = jdbc;
		this.entities = entities;
	}

	@Transactional
	public TicketDetails create(TicketDraft draft, CurrentUser viewer) {
		var subject = subject(draft.subject());
		checkContact(draft.contactId());
		checkQueue(draft.queueId());
		var assignee = draft.assigneeId();
		if (assignee == null && draft.queueId() == null && !viewer.admin()) {
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
		record(ticket, "created", "Ticket created: " + subject, data, null, now);
		if (draft.note() != null && !draft.note().isBlank()) {
			record(ticket, "note", abbreviate(draft.note().strip()), Map.of("text", draft.note().strip()), null, now);
		}
		events.publishEvent(new TicketOpened(context.currentTenant(), ticket.id(), draft.contactId()));
		if (assignee != null) {
			events.publishEvent(new TicketAssigned(context.currentTenant(), ticket.id(), assignee));
		}
		return ticket.toDetails();
	}

	@Transactional(readOnly = true)
	public Optional<TicketDetails> find(TicketId id, CurrentUser viewer) {
		return tickets.findById(id.value()).filter(ticket -> visible(ticket, viewer)).map(Ticket::toDetails);
	}

	@Transactional(readOnly = true)
	public Page<TicketDetails> list(TicketFilter filter, CurrentUser viewer, Pageable page) {
		var user = viewer.user();
		var viewerQueues = user == null ? List.of(NO_QUEUE) : queues.idsWithMember(user.value());
		return tickets
			.list(filter.status(), filter.queueId() == null ? null : filter.queueId().value(),
					filter.assigneeId() == null ? null : filter.assigneeId().value(),
					filter.contactId() == null ? null : filter.contactId().value(), viewer.admin(),
					user == null ? "" : user.value(), viewerQueues.isEmpty() ? List.of(NO_QUEUE) : viewerQueues,
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
			throw badRequest("Nothing to transfer to", "Say where the ticket goes: a queueId, an assigneeId or both.");
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
		record(ticket, "transferred", "Transferred to " + target, data, null, now);
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
			throw badRequest("Empty note", "A note needs some text.");
		}
		return record(ticket, "note", abbreviate(note), Map.of("text", note), null, clock.instant());
	}

	/** Up to {@code limit} entries after position {@code after}, in order. */
	@Transactional(readOnly = true)
	public List<TimelineEntry> timeline(TicketId id, long after, int limit, CurrentUser viewer) {
		var ticket = tickets.findById(id.value())
			.filter(found -> visible(found, viewer))
			.orElseThrow(() -> notFound(id));
		return timeline.findByTicketIdAndSeqGreaterThanOrderBySeqAsc(ticket.id().value(), after, Limit.of(limit))
			.stream()
			.map(TicketWorkflow::entry)
			.toList();
	}

	/**
	 * The contact's ticket that is not closed; else, by the tenant's policy, its latest closed ticket reopened or
	 * a new pending ticket. Concurrent calls for one contact wait for each other, so they agree on one ticket.
	 */
	@Transactional
	public TicketDetails findOrCreateOpenTicket(ContactId contact, String subjectIfNew) {
		checkContact(contact);
		jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
			.param("key", "ticket-of-contact:" + context.currentTenant().value() + ":" + contact.value())
			.query()
			.listOfRows();
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
		return create(new TicketDraft(subjectIfNew, TicketPriority.NORMAL, contact, null, null, null), CurrentUser.SYSTEM);
	}

	/** Appends another module's entry; an entry with the same idempotency key is returned instead of a second one. */
	@Transactional
	public TimelineEntry append(TicketId id, TimelineEntryDraft draft) {
		checkForeignType(draft);
		var ticket = lock(id.value()).orElseThrow(() -> notFound(id));
		var key = draft.idempotencyKey();
		if (key != null) {
			var existing = timeline.findByTicketIdAndIdempotencyKey(id.value(), key);
			if (existing.isPresent()) {
				return entry(existing.get());
			}
		}
		return record(ticket, draft.type(), draft.summary(), draft.data(), key, draft.occurredAt());
	}

	/** See {@link io.voxdesk.tickets.TicketManagement#appendAll}. */
	@Transactional
	public int appendAll(List<TimelineAppend> entries) {
		entries.forEach(entry -> checkForeignType(entry.draft()));
		var ids = entries.stream().map(entry -> entry.ticket().value()).distinct().toList();
		var locked = lockAll(ids);
		var missing = ids.stream().filter(id -> !locked.containsKey(id)).findFirst();
		if (missing.isPresent()) {
			throw notFound(TicketId.of(missing.get()));
		}
		var keys = entries.stream().map(entry -> entry.draft().idempotencyKey()).filter(Objects::nonNull).distinct().toList();
		var seen = new HashSet<String>();
		if (!keys.isEmpty()) {
			// Entries appended earlier in this transaction must be in the database for the check to see them.
			entities.flush();
			seen.addAll(timeline.existingKeys(ids, keys));
		}
		var stored = 0;
		for (var entry : entries) {
			var draft = entry.draft();
			var key = draft.idempotencyKey();
			if (key == null || seen.add(entry.ticket().value() + "/" + key)) {
				store(locked.get(entry.ticket().value()), draft.type(), draft.summary(), draft.data(), key,
						draft.occurredAt());
				stored++;
			}
		}
		return stored;
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
		record(ticket, "assigned", summary, data, null, now);
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
		record(ticket, "status_changed", summary, data, null, clock.instant());
	}

	private TimelineEntry record(Ticket ticket, String type, String summary, Map<String, ?> data,
			@Nullable String idempotencyKey, Instant occurredAt) {
		return entry(store(ticket, type, summary, data, idempotencyKey, occurredAt));
	}

	private TimelineRecord store(Ticket ticket, String type, String summary, Map<String, ?> data,
			@Nullable String idempotencyKey, Instant occurredAt) {
		var now = clock.instant();
		var actor = context.actor();
		var stored = timeline.save(new TimelineRecord(ticket.id(), ticket.nextEntrySequence(now), type, occurredAt, now,
				actor.subject(), actor.username(), summary, JSON.writeValueAsString(data), idempotencyKey));
		events.publishEvent(new TimelineEntryAppended(context.currentTenant(), ticket.id(), stored.seq(), type));
		return stored;
	}

	private static void checkForeignType(TimelineEntryDraft draft) {
		if (OWN_TYPES.contains(draft.type())) {
			throw new IllegalArgumentException("Timeline entries of type '" + draft.type()
					+ "' are written by the tickets module itself");
		}
	}

	/** The tickets that exist, locked: see {@link #lock}; those not locked yet with one query. */
	private Map<UUID, Ticket> lockAll(List<UUID> ids) {
		var locked = new HashMap<UUID, Ticket>();
		var toQuery = new ArrayList<UUID>();
		for (var id : ids) {
			if (Hibernate.isInitialized(entities.getReference(Ticket.class, id))) {
				lock(id).ifPresent(ticket -> locked.put(id, ticket));
			}
			else {
				toQuery.add(id);
			}
		}
		if (!toQuery.isEmpty()) {
			tickets.findAllForUpdate(toQuery).forEach(ticket -> locked.put(ticket.id().value(), ticket));
		}
		return locked;
	}

	private Ticket lockVisible(TicketId id, CurrentUser viewer) {
		return lock(id.value()).filter(ticket -> visible(ticket, viewer)).orElseThrow(() -> notFound(id));
	}

	/**
	 * The ticket, locked until the transaction ends. A ticket this transaction read before without the lock (another
	 * module checked it, then appends) is refreshed under the lock: the locking query alone would keep the state and version read
	 * earlier, and the next flush would fail as a concurrent change if another transaction appended meanwhile.
	 */
	private Optional<Ticket> lock(UUID id) {
		var known = entities.getReference(Ticket.class, id);
		if (Hibernate.isInitialized(known)) {
			// Locked already by this transaction: current, and maybe changed (a refresh would undo that).
			if (entities.getLockMode(known) != LockModeType.PESSIMISTIC_WRITE) {
				entities.refresh(known, LockModeType.PESSIMISTIC_WRITE);
			}
			return Optional.of(known);
		}
		return tickets.findForUpdate(id);
	}

	private boolean visible(Ticket ticket, CurrentUser viewer) {
		var user = viewer.user();
		if (viewer.admin()) {
			return true;
		}
		if (user == null) {
			return false;
		}
		var queue = ticket.queue();
		return user.equals(ticket.assignee()) || queue != null && queues.idsWithMember(user.value()).contains(queue.value());
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
				throw badRequest("Invalid sort", "Tickets cannot be sorted by '" + order.getProperty()
						+ "'; sort by createdAt, updatedAt, priority or status.");
			}
		}
		return (sort.isSorted() ? sort : Sort.by(Sort.Direction.DESC, "updatedAt")).and(Sort.by("id"));
	}

	private static String subject(String subject) {
		var stripped = Objects.requireNonNull(subject).strip();
		if (stripped.isEmpty() || stripped.length() > 200) {
			throw badRequest("Invalid subject", "A ticket subject needs 1 to 200 characters.");
		}
		return stripped;
	}

	private static TimelineEntry entry(TimelineRecord record) {
		return new TimelineEntry(record.ticketId(), record.seq(), record.type(), record.occurredAt(), record.actorId(),
				record.actorName(), record.summary(), JSON.readValue(record.data(), MAP));
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

	private static TicketNotFoundException notFound(TicketId id) {
		return new TicketNotFoundException("There is no ticket " + id + " you can see in your tenant.");
	}

	static ErrorResponseException badRequest(String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle(title);
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}
}

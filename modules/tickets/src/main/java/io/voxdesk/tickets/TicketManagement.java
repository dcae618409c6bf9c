package io.voxdesk.tickets;

import java.util.List;
import java.util.Optional;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

/**
 * The tickets API of the current tenant, for the REST layer and for other modules. Every change appends a typed
 * entry to the ticket's timeline and publishes a module event in the same transaction.
 * <p>
 * Other modules use {@link #findOrCreateOpenTicket} and {@link #append}: the calls module puts its call entries on
 * a ticket's timeline without this module knowing what a call is, which is what lets a host CRM replace it.
 */
public interface TicketManagement {

	/**
	 * Opens a ticket: {@code pending} in its queue, or {@code open} when it has an assignee. An agent who opens a
	 * ticket outside any queue without naming an assignee gets it.
	 *
	 * @throws UnknownReferenceException if the contact, queue or assignee is not the current tenant's.
	 */
	TicketDetails create(TicketDraft draft, CurrentUser viewer);

	/** The ticket, if it exists in the current tenant and the viewer may see it. */
	Optional<TicketDetails> find(TicketId id, CurrentUser viewer);

	/** The tickets the viewer may see that match the filter; sortable by createdAt, updatedAt, priority, status. */
	Page<TicketDetails> list(TicketFilter filter, CurrentUser viewer, Pageable page);

	/**
	 * The viewer takes the ticket and it becomes {@code open}.
	 *
	 * @throws TicketConflictException if it is closed, or an agent tries to take another agent's ticket.
	 */
	TicketDetails accept(TicketId id, CurrentUser viewer);

	/** A tenant admin gives the ticket to an agent or admin of the tenant. */
	TicketDetails assign(TicketId id, UserId assignee, CurrentUser viewer);

	/** Moves the ticket to a queue, an agent or both; without an agent it waits in its queue as {@code pending}. */
	TicketDetails transfer(TicketId id, @Nullable QueueId queue, @Nullable UserId assignee, @Nullable String note,
			CurrentUser viewer);

	TicketDetails close(TicketId id, @Nullable String note, CurrentUser viewer);

	TicketDetails reopen(TicketId id, CurrentUser viewer);

	TimelineEntry addNote(TicketId id, String text, CurrentUser viewer);

	/** Up to {@code limit} timeline entries after position {@code after} (0 for the start), oldest first. */
	List<TimelineEntry> timeline(TicketId id, long after, int limit, CurrentUser viewer);

	/**
	 * The contact's ticket that is not closed, or else, by the tenant's {@link ClosedTicketPolicy}, its latest
	 * ticket reopened or a new pending ticket with the given subject, in {@code queueIfNew} when given.
	 *
	 * @throws UnknownReferenceException if the contact is not the current tenant's.
	 */
	TicketDetails findOrCreateOpenTicket(ContactId contact, String subjectIfNew, @Nullable QueueId queueIfNew);

	/** {@link #findOrCreateOpenTicket(ContactId, String, QueueId)} with a new ticket in no queue. */
	default TicketDetails findOrCreateOpenTicket(ContactId contact, String subjectIfNew) {
		return findOrCreateOpenTicket(contact, subjectIfNew, null);
	}

	/**
	 * Appends an entry to the ticket's timeline. Appending a draft whose idempotency key the ticket has seen
	 * returns the stored entry and stores nothing.
	 *
	 * @throws TicketNotFoundException if the current tenant has no such ticket.
	 * @throws IllegalArgumentException for the tickets module's own entry types.
	 */
	TimelineEntry append(TicketId id, TimelineEntryDraft draft);

	/**
	 * Appends entries to the timelines of several tickets at once, in the order given, with what {@link #append}
	 * does for each: an entry whose idempotency key its ticket has seen (stored earlier, or earlier in the same list)
	 * is skipped. For a caller with many entries in one transaction, such as a batch of call events: the tickets are
	 * locked and the keys checked with one query each, instead of per entry.
	 *
	 * @return how many entries were stored (the others were skipped as seen).
	 * @throws TicketNotFoundException if the current tenant lacks one of the tickets; nothing is appended then.
	 * @throws IllegalArgumentException for the tickets module's own entry types.
	 */
	int appendAll(List<TimelineAppend> entries);

	/** What {@link #findOrCreateOpenTicket} does when the contact's latest ticket is closed. */
	ClosedTicketPolicy closedTicketPolicy();

	ClosedTicketPolicy changeClosedTicketPolicy(ClosedTicketPolicy policy);
}

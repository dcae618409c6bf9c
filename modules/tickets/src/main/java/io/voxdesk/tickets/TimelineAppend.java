package io.voxdesk.tickets;

import java.util.Objects;

/**
 * An entry to append to a ticket's timeline, one of several handed to {@link TicketManagement#appendAll} together.
 *
 * @param ticket the ticket of the current tenant whose timeline gets the entry.
 * @param draft the entry.
 */
public record TimelineAppend(TicketId ticket, TimelineEntryDraft draft) {

	public TimelineAppend {
		Objects.requireNonNull(ticket);
		Objects.requireNonNull(draft);
	}
}

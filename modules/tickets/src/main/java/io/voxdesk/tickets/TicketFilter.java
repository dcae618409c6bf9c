package io.voxdesk.tickets;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/** Narrows a ticket listing; each absent criterion matches every ticket. */
public record TicketFilter(@Nullable TicketStatus status, @Nullable QueueId queueId, @Nullable UserId assigneeId,
		@Nullable ContactId contactId) {

	/** Every ticket the viewer may see. */
	public static final TicketFilter ANY = new TicketFilter(null, null, null, null);
}

package io.voxdesk.tickets;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/**
 * What a new ticket starts with. Without an assignee it waits as {@code pending}; with one it is {@code open}.
 *
 * @param note an optional first note for the timeline.
 */
public record TicketDraft(String subject, TicketPriority priority, @Nullable ContactId contactId,
		@Nullable QueueId queueId, @Nullable UserId assigneeId, @Nullable String note) {
}

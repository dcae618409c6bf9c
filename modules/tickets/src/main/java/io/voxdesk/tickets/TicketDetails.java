package io.voxdesk.tickets;

import java.time.Instant;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/** A ticket as the API shows it. */
public record TicketDetails(TicketId id, String subject, TicketStatus status, TicketPriority priority,
		@Nullable ContactId contactId, @Nullable QueueId queueId, @Nullable UserId assigneeId, Instant createdAt,
		Instant updatedAt, @Nullable Instant closedAt) {
}

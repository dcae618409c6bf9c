package io.voxdesk.tickets;

import io.voxdesk.tenants.UserId;
import org.jspecify.annotations.Nullable;
import io.voxdesk.tenants.TenantId;

/** A ticket moved to another queue or agent; an absent assignee means it waits in the queue. */
public record TicketTransferred(TenantId tenantId, TicketId ticketId, @Nullable QueueId queueId, @Nullable UserId assigneeId) {
}

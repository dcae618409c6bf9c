package io.voxdesk.tickets;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tenants.TenantId;

/** A ticket was accepted by or assigned to an agent. */
public record TicketAssigned(TenantId tenantId, TicketId ticketId, UserId assigneeId) {
}

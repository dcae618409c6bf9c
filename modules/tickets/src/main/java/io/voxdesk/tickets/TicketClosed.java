package io.voxdesk.tickets;

import io.voxdesk.tenants.TenantId;

/** A ticket was closed. */
public record TicketClosed(TenantId tenantId, TicketId ticketId) {
}

package io.voxdesk.tickets;

import io.voxdesk.tenants.TenantId;

/** A closed ticket was reopened. */
public record TicketReopened(TenantId tenantId, TicketId ticketId) {
}

package io.voxdesk.tickets;

import io.voxdesk.tenants.TenantId;

/** An entry was added to a ticket's timeline (what live views refresh on). */
public record TimelineEntryAppended(TenantId tenantId, TicketId ticketId, long sequence, String type) {
}

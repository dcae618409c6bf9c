package io.voxdesk.tickets;

import io.voxdesk.contacts.ContactId;
import org.jspecify.annotations.Nullable;
import io.voxdesk.tenants.TenantId;

/** A ticket was created, by a person or through {@link TicketManagement#findOrCreateOpenTicket}. */
public record TicketOpened(TenantId tenantId, TicketId ticketId, @Nullable ContactId contactId) {
}

package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/** The customer answered a call. */
public record CallAnswered(TenantId tenantId, CallId callId, @Nullable TicketId ticketId, Instant occurredAt) {
}

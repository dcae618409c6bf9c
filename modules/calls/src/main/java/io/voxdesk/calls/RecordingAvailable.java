package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/** A call's recording was fetched from the provider and stored; it can be played from Voxdesk now. */
public record RecordingAvailable(TenantId tenantId, CallId callId, @Nullable TicketId ticketId, Instant occurredAt) {
}

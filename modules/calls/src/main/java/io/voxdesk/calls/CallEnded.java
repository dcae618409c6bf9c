package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/**
 * A call ended. Published again, with {@code corrected} set, if an event that arrives late changes how it ended
 * (a provider reporting the answer after the hangup).
 */
public record CallEnded(TenantId tenantId, CallId callId, @Nullable TicketId ticketId, CallStatus status,
		CallOutcome outcome, long talkSeconds, @Nullable String hangupCause, boolean corrected, Instant occurredAt) {
}

package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/** The agent wrote a note and a disposition for a call; the text itself stays on the call record. */
public record CallNoted(TenantId tenantId, CallId callId, @Nullable TicketId ticketId, Actor actor,
		Instant occurredAt) {
}

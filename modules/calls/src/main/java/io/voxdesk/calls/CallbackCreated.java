package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/** A caller nobody answered left a callback task (a repeat call joins the open one and publishes nothing). */
public record CallbackCreated(TenantId tenantId, CallbackId callbackId, CallId callId, @Nullable QueueId queueId,
		@Nullable TicketId ticketId, Instant occurredAt) {
}

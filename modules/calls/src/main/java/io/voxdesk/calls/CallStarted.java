package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/** An agent started a call: its record exists and the provider is being asked to ring the agent. */
public record CallStarted(TenantId tenantId, CallId callId, @Nullable TicketId ticketId, UserId agent,
		String agentName, String number, Instant occurredAt) {
}

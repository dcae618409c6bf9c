package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/** An agent chose another presence, or Voxdesk made them offline (their webphone's connection was lost). */
public record PresenceChanged(TenantId tenantId, UserId userId, PresenceState state, @Nullable String reason,
		Instant occurredAt) {
}

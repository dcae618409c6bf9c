package io.voxdesk.tenants;

import java.time.Instant;

/** A platform admin reactivated a deactivated tenant. */
public record TenantReactivated(TenantId tenantId, Actor actor, Instant occurredAt) {
}

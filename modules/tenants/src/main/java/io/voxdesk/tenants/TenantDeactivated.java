package io.voxdesk.tenants;

import java.time.Instant;

/** A platform admin deactivated a tenant: its users are refused from now on. */
public record TenantDeactivated(TenantId tenantId, Actor actor, Instant occurredAt) {
}

package io.voxdesk.tenants;

import java.time.Instant;

/** A platform admin created a tenant. */
public record TenantCreated(TenantId tenantId, Actor actor, Instant occurredAt) {
}

package io.voxdesk.tenants;

import java.time.Instant;

/** A tenant got a new data-key version; new secrets use it, older ones still decrypt. */
public record TenantKeyRotated(TenantId tenantId, int keyVersion, Actor actor, Instant occurredAt) {
}

package io.voxdesk.audio;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/** An item left a tenant's audio library. */
public record AudioDeleted(TenantId tenantId, AudioId audioId, String name, Actor actor, Instant occurredAt) {
}

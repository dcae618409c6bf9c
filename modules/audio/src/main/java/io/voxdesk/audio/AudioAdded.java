package io.voxdesk.audio;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/** An item joined a tenant's audio library, uploaded or synthesised. */
public record AudioAdded(TenantId tenantId, AudioId audioId, String name, AudioKind kind, AudioSource source,
		long durationMillis, Actor actor, Instant occurredAt) {
}

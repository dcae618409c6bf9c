package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/**
 * Someone was sent (part of) a call's recording; the audit log keeps who, when and what.
 *
 * @param served what was sent, e.g. {@code all 5000 bytes} or {@code bytes 100-199 of 5000}.
 */
public record RecordingPlayed(TenantId tenantId, CallId callId, Actor actor, Instant occurredAt, String served) {
}

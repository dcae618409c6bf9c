package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/** Someone started playing or downloading a call's recording; the audit log keeps who and when. */
public record RecordingPlayed(TenantId tenantId, CallId callId, Actor actor, Instant occurredAt) {
}

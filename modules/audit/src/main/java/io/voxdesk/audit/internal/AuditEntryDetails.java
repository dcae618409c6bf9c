package io.voxdesk.audit.internal;

import java.time.Instant;

import io.voxdesk.audit.AuditEntryId;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/** An audit entry as the REST API shows it. */
record AuditEntryDetails(AuditEntryId id, TenantId tenantId, Instant occurredAt, Actor actor, String action,
		String targetType, String targetId, String summary) {
}

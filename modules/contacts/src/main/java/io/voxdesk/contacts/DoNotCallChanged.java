package io.voxdesk.contacts;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/**
 * The do-not-call list changed: a number added (one by hand or an opt-out, or a whole import) or removed.
 *
 * @param change {@code added}, {@code removed} or {@code imported}.
 * @param subject the number for one change; for an import, how many numbers it added.
 */
public record DoNotCallChanged(TenantId tenantId, String change, String subject, Actor actor, Instant occurredAt) {
}

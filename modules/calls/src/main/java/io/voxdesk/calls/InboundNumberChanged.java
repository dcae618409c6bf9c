package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/**
 * A tenant admin routed, re-routed or removed an inbound number.
 *
 * @param change {@code created}, {@code updated} or {@code deleted}.
 * @param route where its calls go now, e.g. {@code queue 3f2a…} or {@code user 8c1d…}; empty once deleted.
 */
public record InboundNumberChanged(TenantId tenantId, InboundNumberId numberId, String number, String change,
		String route, Actor actor, Instant occurredAt) {
}

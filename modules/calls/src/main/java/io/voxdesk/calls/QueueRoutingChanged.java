package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.QueueId;

/**
 * A tenant admin changed how a queue distributes its calls.
 *
 * @param summary the settings now, e.g. {@code round-robin, ring 20 s, wait 300 s, wrap-up 10 s, then hang-up}.
 */
public record QueueRoutingChanged(TenantId tenantId, QueueId queueId, String summary, Actor actor,
		Instant occurredAt) {
}

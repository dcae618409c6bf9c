package io.voxdesk.webhooks;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/**
 * A tenant admin created, changed, deleted a webhook endpoint or rotated its secret ({@code change} says which); the
 * endpoint's host only, as its URL may carry a token.
 */
public record WebhookEndpointChanged(TenantId tenantId, WebhookEndpointId endpointId, String change, String host,
		Actor actor, Instant occurredAt) {
}

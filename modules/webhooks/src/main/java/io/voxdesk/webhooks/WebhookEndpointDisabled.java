package io.voxdesk.webhooks;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;

/** Voxdesk disabled a webhook endpoint (its host named) whose deliveries kept failing for the whole retry window. */
public record WebhookEndpointDisabled(TenantId tenantId, WebhookEndpointId endpointId, String host, String reason,
		Instant occurredAt) {
}

package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.TenantId;

/**
 * An instance took a provider connection over from another one, whose lease had expired (it died or was cut off)
 * or that released it (it shut down); the new holder reconciles the connection's calls and carries on.
 *
 * @param token the new lease's fencing token.
 */
public record ConnectionTakenOver(TenantId tenantId, ProviderConnectionId connectionId, String holder,
		String previousHolder, long token, String cause, Instant occurredAt) {
}

package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/**
 * A tenant admin created, changed or deleted a provider connection; carries no settings and never the secret.
 *
 * @param change {@code created}, {@code updated}, {@code secret-changed}, {@code enabled}, {@code disabled} or
 *     {@code deleted}.
 */
public record ProviderConnectionChanged(TenantId tenantId, ProviderConnectionId connectionId, ProviderKind kind,
		String name, String change, Actor actor, Instant occurredAt) {
}

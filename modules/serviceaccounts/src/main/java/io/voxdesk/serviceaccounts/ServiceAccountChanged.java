package io.voxdesk.serviceaccounts;

import java.time.Instant;
import java.util.Set;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/**
 * A tenant admin created or deleted a service account, or rotated its secret ({@code change}: {@code created},
 * {@code deleted}, {@code secret-rotated}); the account is named by its Keycloak client id.
 */
public record ServiceAccountChanged(TenantId tenantId, ServiceAccountId serviceAccountId, String clientId,
		Set<String> roles, String change, Actor actor, Instant occurredAt) {
}

package io.voxdesk.tenants;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** What other modules and the REST API may know about a tenant. */
public record TenantDetails(TenantId id, String name, TenantStatus status, Instant createdAt,
		@Nullable Instant deactivatedAt) {

	public boolean isActive() {
		return status == TenantStatus.ACTIVE;
	}
}

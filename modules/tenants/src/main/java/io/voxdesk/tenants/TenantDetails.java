package io.voxdesk.tenants;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What other modules and the REST API may know about a tenant.
 *
 * @param defaultRegion ISO 3166 alpha-2 region in which national phone numbers are read, {@code BR} by default.
 */
public record TenantDetails(TenantId id, String name, TenantStatus status, String defaultRegion, Instant createdAt,
		@Nullable Instant deactivatedAt) {

	/** The region used when a tenant does not choose one. */
	public static final String DEFAULT_REGION = "BR";

	public boolean isActive() {
		return status == TenantStatus.ACTIVE;
	}
}

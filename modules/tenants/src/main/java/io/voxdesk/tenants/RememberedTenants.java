package io.voxdesk.tenants;

import java.util.Optional;
import java.util.function.Supplier;

import io.voxdesk.tenants.internal.TenantsSettings;

import org.springframework.stereotype.Component;

/**
 * Remembers tenants' registry entries (status, default region) for a few seconds, so neither the request filter nor
 * a click-to-call reads the registry on every request. Unknown tenants are not remembered; changes made through this
 * instance evict their tenant once they commit.
 */
@Component
class RememberedTenants {

	private final RememberedValues<TenantId, TenantDetails> entries;

	RememberedTenants(TenantsSettings settings) {
		this.entries = new RememberedValues<>(settings.statusCacheTime());
	}

	/** The tenant as remembered, or what {@code load} finds, remembered if the tenant exists. */
	Optional<TenantDetails> details(TenantId tenant, Supplier<Optional<TenantDetails>> load) {
		return entries.get(tenant, load);
	}

	/** Forgets the tenant once the current transaction commits; see {@link RememberedValues#forgetAfterCommit}. */
	void evictAfterCommit(TenantId tenant) {
		entries.forgetAfterCommit(tenant);
	}
}

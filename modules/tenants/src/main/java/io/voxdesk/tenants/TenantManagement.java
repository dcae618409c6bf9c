package io.voxdesk.tenants;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

/** Creates, lists, deactivates and reactivates tenants, and rotates their data keys. */
public interface TenantManagement {

	/** Registers a tenant reading national numbers as Brazilian; platform scope. */
	TenantDetails create(TenantId id, String name);

	/**
	 * Registers a tenant; platform scope.
	 *
	 * @param defaultRegion ISO 3166 alpha-2 region for national phone numbers, such as {@code BR}.
	 * @throws TenantAlreadyExistsException if the id is taken.
	 */
	TenantDetails create(TenantId id, String name, String defaultRegion);

	/** The tenant with this id, if the current scope may see it (the platform, or the tenant itself). */
	Optional<TenantDetails> find(TenantId id);

	/**
	 * The tenant's status, if the current scope may see the tenant (the platform, or the tenant itself); for checks
	 * on every request. It may be a few seconds old ({@code voxdesk.tenants.status-cache-time}) when another
	 * instance changed it, and is current after changes made through this one.
	 *
	 * @throws NoTenantBoundException if neither a tenant nor the platform scope is bound.
	 */
	Optional<TenantStatus> status(TenantId id);

	/**
	 * The tenant's region for national phone numbers, if the current scope may see the tenant; for work done on
	 * every request, like {@link #status(TenantId)}.
	 *
	 * @throws NoTenantBoundException if neither a tenant nor the platform scope is bound.
	 */
	Optional<String> defaultRegion(TenantId id);

	/** Every tenant, a page at a time; platform scope. */
	Page<TenantDetails> list(Pageable page);

	/** Refuses the tenant's users from their next request on; deactivating twice changes nothing. */
	TenantDetails deactivate(TenantId id);

	/** Lets a deactivated tenant's users back in; reactivating an active tenant changes nothing. */
	TenantDetails reactivate(TenantId id);

	/**
	 * Gives the tenant a new data-key version: new secrets use it, existing ones keep decrypting.
	 *
	 * @return the new version.
	 */
	int rotateDataKey(TenantId id);

	/**
	 * Re-wraps every tenant's data keys under the active master key, one tenant per transaction, so a
	 * retired master key can be removed from configuration afterwards. Safe to run again; platform scope.
	 *
	 * @return how many tenants were visited and how many keys were re-wrapped.
	 */
	RewrapReport rewrapAllUnderActiveMasterKey();

	/** What a master-key re-wrap did. */
	record RewrapReport(int tenants, int keysRewrapped) {
	}
}

package io.voxdesk.tenants;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.voxdesk.tenants.internal.TenantsSettings;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Remembers tenants' registry entries (status, default region) for a few seconds, so neither the request filter nor
 * a click-to-call reads the registry on every request. Unknown tenants are not remembered; changes made through this
 * instance evict their tenant once they commit.
 */
@Component
class RememberedTenants {

	/** Above this many tenants, expired entries are dropped before adding another. */
	private static final int MAX_ENTRIES = 10_000;

	private final Map<TenantId, Entry> entries = new ConcurrentHashMap<>();

	/** Counts evictions, so a tenant read before one is not stored after it. */
	private final AtomicLong evictions = new AtomicLong();

	private final long ttlNanos;

	private final LongSupplier nanoTime;

	@Autowired
	RememberedTenants(TenantsSettings settings) {
		this(settings.statusCacheTime(), System::nanoTime);
	}

	RememberedTenants(Duration ttl, LongSupplier nanoTime) {
		this.ttlNanos = ttl.toNanos();
		this.nanoTime = nanoTime;
	}

	/** The tenant as remembered, or what {@code load} finds, remembered if the tenant exists. */
	Optional<TenantDetails> details(TenantId tenant, Supplier<Optional<TenantDetails>> load) {
		var now = nanoTime.getAsLong();
		var entry = entries.get(tenant);
		if (entry != null && now - entry.loadedAt() < ttlNanos) {
			return Optional.of(entry.tenant());
		}
		var seen = evictions.get();
		var loaded = load.get();
		if (loaded.isPresent() && ttlNanos > 0) {
			if (entries.size() >= MAX_ENTRIES) {
				entries.values().removeIf(old -> now - old.loadedAt() >= ttlNanos);
			}
			entries.put(tenant, new Entry(loaded.get(), now));
			// An eviction while loading may have missed this value, which could predate the change: forget it.
			if (evictions.get() != seen) {
				entries.remove(tenant);
			}
		}
		return loaded;
	}

	/**
	 * Forgets the tenant once the current transaction commits (at once without one): evicting earlier would let a
	 * request put the old status back before the change is visible, and a rollback changes nothing.
	 */
	void evictAfterCommit(TenantId tenant) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			evict(tenant);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				evict(tenant);
			}
		});
	}

	void evict(TenantId tenant) {
		evictions.incrementAndGet();
		entries.remove(tenant);
	}

	private record Entry(TenantDetails tenant, long loadedAt) {
	}
}

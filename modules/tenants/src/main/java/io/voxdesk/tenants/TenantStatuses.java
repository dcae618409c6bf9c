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
 * Remembers tenants' statuses for a few seconds, so the request filter does not read the registry on every
 * request. Unknown tenants are not remembered; changes made through this instance evict their tenant once they
 * commit.
 */
@Component
class TenantStatuses {

	/** Above this many tenants, expired entries are dropped before adding another. */
	private static final int MAX_ENTRIES = 10_000;

	private final Map<TenantId, Entry> entries = new ConcurrentHashMap<>();

	/** Counts evictions, so a status read before one is not stored after it. */
	private final AtomicLong evictions = new AtomicLong();

	private final long ttlNanos;

	private final LongSupplier nanoTime;

	@Autowired
	TenantStatuses(TenantsSettings settings) {
		this(settings.statusCacheTime(), System::nanoTime);
	}

	TenantStatuses(Duration ttl, LongSupplier nanoTime) {
		this.ttlNanos = ttl.toNanos();
		this.nanoTime = nanoTime;
	}

	/** The tenant's remembered status, or what {@code load} finds, remembered if the tenant exists. */
	Optional<TenantStatus> status(TenantId tenant, Supplier<Optional<TenantStatus>> load) {
		var now = nanoTime.getAsLong();
		var entry = entries.get(tenant);
		if (entry != null && now - entry.loadedAt() < ttlNanos) {
			return Optional.of(entry.status());
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

	private record Entry(TenantStatus status, long loadedAt) {
	}
}

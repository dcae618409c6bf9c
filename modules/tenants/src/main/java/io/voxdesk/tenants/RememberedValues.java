package io.voxdesk.tenants;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Values read from the database that a hot path would otherwise read on every request, remembered per key for a
 * short time and forgotten once a change to them commits.
 *
 * <p>
 * Absent values are not remembered: a key that finds nothing (an unknown tenant, a user without a line) is read
 * again next time, so nobody can fill the memory with keys that do not exist, and the first read after something is
 * created finds it. A value read while a change was being forgotten is not kept, since that read may predate the
 * change. The time limit bounds how long a change made outside this instance (another instance, an operator's SQL)
 * goes unseen; the size limit bounds the memory (Caffeine evicts what is least likely to be asked for again).
 * Declared as a bean, it publishes Micrometer's cache metrics ({@code cache.gets}, {@code cache.size},
 * {@code cache.evictions}) under its name.
 *
 * @param <K> the key; it must identify the tenant when the value belongs to one.
 * @param <V> the value remembered.
 */
public final class RememberedValues<K, V> implements MeterBinder {

	private final String name;

	private final Cache<K, V> entries;

	/** Counts forgettings, so a value read before one is not stored after it. */
	private final AtomicLong forgettings = new AtomicLong();

	private final boolean remembers;

	/**
	 * Remembers each value for {@code ttl} (a zero {@code ttl} remembers nothing), at most {@code maximumSize} of
	 * them; {@code name} names the cache in the metrics.
	 */
	public RememberedValues(String name, Duration ttl, long maximumSize) {
		this(name, ttl, maximumSize, Ticker.systemTicker());
	}

	RememberedValues(String name, Duration ttl, long maximumSize, Ticker ticker) {
		this.name = name;
		this.remembers = ttl.isPositive() && maximumSize > 0;
		// Upkeep on the calling thread: what is evicted or expired is gone when the call returns.
		this.entries = Caffeine.newBuilder()
			.expireAfterWrite(ttl)
			.maximumSize(maximumSize)
			.ticker(ticker)
			.executor(Runnable::run)
			.recordStats()
			.build();
	}

	/**
	 * The value as remembered, or what {@code load} finds, remembered if present. Inside a transaction that is
	 * changing the key's value, {@code load} reads it and nothing is remembered: the change may still roll back.
	 */
	public Optional<V> get(K key, Supplier<Optional<V>> load) {
		if (pendingInThisTransaction().contains(key)) {
			return load.get();
		}
		var known = entries.getIfPresent(key);
		if (known != null) {
			return Optional.of(known);
		}
		var seen = forgettings.get();
		var loaded = load.get();
		if (loaded.isPresent() && remembers) {
			var value = loaded.get();
			entries.put(key, value);
			// A change forgotten while this loaded may not be in what it read: keep nothing.
			if (forgettings.get() != seen) {
				entries.asMap().remove(key, value);
			}
		}
		return loaded;
	}

	/**
	 * Forgets the key once the current transaction commits (at once without one): forgetting earlier would let a
	 * request remember the old value again before the change is visible, and a rollback changes nothing.
	 */
	public void forgetAfterCommit(K key) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			forget(key);
			return;
		}
		var pending = pendingInThisTransaction();
		if (pending.isEmpty()) {
			var keys = new HashSet<K>();
			TransactionSynchronizationManager.bindResource(this, keys);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(RememberedValues.this);
					if (status == STATUS_COMMITTED) {
						keys.forEach(RememberedValues.this::forget);
					}
				}
			});
			pending = keys;
		}
		pending.add(key);
	}

	/** Forgets the key now. */
	public void forget(K key) {
		forgettings.incrementAndGet();
		entries.invalidate(key);
	}

	/** How many values are remembered now. */
	public long size() {
		entries.cleanUp();
		return entries.estimatedSize();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, entries, name);
	}

	@SuppressWarnings("unchecked")
	private Set<K> pendingInThisTransaction() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return Set.of();
		}
		var keys = (Set<K>) TransactionSynchronizationManager.getResource(this);
		return keys == null ? Set.of() : keys;
	}
}

package io.voxdesk.tenants;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
 * goes unseen.
 *
 * @param <K> the key; it must identify the tenant when the value belongs to one.
 * @param <V> the value remembered.
 */
public final class RememberedValues<K, V> {

	/** Above this many entries, expired ones are dropped before another is added. */
	private static final int MAX_ENTRIES = 10_000;

	private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

	/** Counts forgettings, so a value read before one is not stored after it. */
	private final AtomicLong forgettings = new AtomicLong();

	private final long ttlNanos;

	private final LongSupplier nanoTime;

	/** Remembers each value for {@code ttl}; a zero {@code ttl} remembers nothing. */
	public RememberedValues(Duration ttl) {
		this(ttl, System::nanoTime);
	}

	RememberedValues(Duration ttl, LongSupplier nanoTime) {
		this.ttlNanos = ttl.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * The value as remembered, or what {@code load} finds, remembered if present. Inside a transaction that is
	 * changing the key's value, {@code load} reads it and nothing is remembered: the change may still roll back.
	 */
	public Optional<V> get(K key, Supplier<Optional<V>> load) {
		if (pendingInThisTransaction().contains(key)) {
			return load.get();
		}
		var now = nanoTime.getAsLong();
		var entry = entries.get(key);
		if (entry != null && now - entry.loadedAt() < ttlNanos) {
			return Optional.of(entry.value());
		}
		var seen = forgettings.get();
		var loaded = load.get();
		if (loaded.isPresent() && ttlNanos > 0) {
			if (entries.size() >= MAX_ENTRIES) {
				entries.values().removeIf(old -> now - old.loadedAt() >= ttlNanos);
			}
			var stored = new Entry<>(loaded.get(), now);
			entries.put(key, stored);
			// A change forgotten while this loaded may not be in what it read: keep nothing.
			if (forgettings.get() != seen) {
				entries.remove(key, stored);
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

	@SuppressWarnings("unchecked")
	private Set<K> pendingInThisTransaction() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return Set.of();
		}
		var keys = (Set<K>) TransactionSynchronizationManager.getResource(this);
		return keys == null ? Set.of() : keys;
	}

	/** Forgets the key now. */
	public void forget(K key) {
		forgettings.incrementAndGet();
		entries.remove(key);
	}

	private record Entry<V>(V value, long loadedAt) {
	}
}

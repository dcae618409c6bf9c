package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Remembered values (here tenants' statuses) on a clock the tests move by hand. */
class RememberedValuesTests {

	static final TenantId ACME = TenantId.of("acme");

	final AtomicLong nanos = new AtomicLong();

	final RememberedValues<TenantId, TenantDetails> statuses = new RememberedValues<>("statuses",
			Duration.ofSeconds(5), 100, nanos::get);

	final AtomicInteger reads = new AtomicInteger();

	static TenantDetails acme(TenantStatus status) {
		return new TenantDetails(ACME, "Acme", status, "BR", Instant.EPOCH, null);
	}

	Optional<TenantStatus> status(TenantStatus stored) {
		return statuses.get(ACME, () -> {
			reads.incrementAndGet();
			return Optional.of(acme(stored));
		}).map(TenantDetails::status);
	}

	@Test
	void aValueIsReadOnceWithinTheTimeLimitAndAgainAfterIt() {
		assertThat(status(TenantStatus.ACTIVE)).contains(TenantStatus.ACTIVE);
		nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.ACTIVE);
		assertThat(reads).hasValue(1);

		nanos.addAndGet(Duration.ofMillis(1).toNanos());

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
		assertThat(reads).hasValue(2);
	}

	@Test
	void forgettingMakesTheNextGetReadAgain() {
		status(TenantStatus.ACTIVE);

		statuses.forgetAfterCommit(ACME);

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
	}

	@Test
	void inATransactionTheValueIsForgottenAtCommitNotBefore() {
		status(TenantStatus.ACTIVE);
		var changing = new InTransaction();
		changing.run(() -> {
			statuses.forgetAfterCommit(ACME);
			// The transaction making the change reads its own value, and remembers nothing that may roll back.
			assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
		});
		// Not committed yet: the others still read the old value.
		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.ACTIVE);

		changing.complete(TransactionSynchronization.STATUS_COMMITTED);

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
	}

	@Test
	void aRolledBackChangeForgetsNothingAndLeavesNothingBehind() {
		status(TenantStatus.ACTIVE);
		var changing = new InTransaction();
		changing.run(() -> {
			statuses.forgetAfterCommit(ACME);
			status(TenantStatus.DEACTIVATED);
		});

		changing.complete(TransactionSynchronization.STATUS_ROLLED_BACK);

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.ACTIVE);
		assertThat(reads).hasValue(2);
	}

	/** A transaction's synchronization on this thread, opened and completed by hand. */
	static final class InTransaction {

		private List<TransactionSynchronization> synchronizations = List.of();

		private Map<Object, Object> resources = Map.of();

		void run(Runnable work) {
			TransactionSynchronizationManager.initSynchronization();
			try {
				work.run();
				synchronizations = TransactionSynchronizationManager.getSynchronizations();
				resources = new HashMap<>(TransactionSynchronizationManager.getResourceMap());
			}
			finally {
				// Suspended, as while another thread works: the synchronizations and resources are kept here.
				TransactionSynchronizationManager.clearSynchronization();
				resources.keySet().forEach(TransactionSynchronizationManager::unbindResource);
			}
		}

		void complete(int status) {
			TransactionSynchronizationManager.initSynchronization();
			resources.forEach(TransactionSynchronizationManager::bindResource);
			try {
				synchronizations.forEach(synchronization -> synchronization.afterCompletion(status));
			}
			finally {
				TransactionSynchronizationManager.clearSynchronization();
				new ArrayList<>(TransactionSynchronizationManager.getResourceMap().keySet())
					.forEach(TransactionSynchronizationManager::unbindResource);
			}
		}
	}

	@Test
	void anAbsentValueIsNotRemembered() {
		assertThat(statuses.get(ACME, Optional::empty)).isEmpty();

		assertThat(status(TenantStatus.ACTIVE)).contains(TenantStatus.ACTIVE);
	}

	@Test
	void aValueReadBeforeItWasForgottenIsNotRemembered() {
		var read = statuses.get(ACME, () -> {
			// The change commits and forgets while this (older) read is under way.
			statuses.forget(ACME);
			return Optional.of(acme(TenantStatus.ACTIVE));
		}).map(TenantDetails::status);
		assertThat(read).contains(TenantStatus.ACTIVE);

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
	}

	@Test
	void aZeroTimeLimitRemembersNothing() {
		var never = new RememberedValues<TenantId, TenantDetails>("never", Duration.ZERO, 100, nanos::get);
		never.get(ACME, () -> Optional.of(acme(TenantStatus.ACTIVE)));

		assertThat(never.get(ACME, () -> Optional.of(acme(TenantStatus.DEACTIVATED))).map(TenantDetails::status))
			.contains(TenantStatus.DEACTIVATED);
	}

	@Test
	void theMemoryHoldsNoMoreThanItsMaximumSize() {
		var small = new RememberedValues<TenantId, TenantDetails>("small", Duration.ofMinutes(5), 2, nanos::get);
		for (var i = 0; i < 50; i++) {
			var tenant = TenantId.of("t-" + i);
			small.get(tenant, () -> Optional.of(new TenantDetails(tenant, "T", TenantStatus.ACTIVE, "BR", Instant.EPOCH,
					null)));
		}

		assertThat(small.size()).isLessThanOrEqualTo(2);
	}

	@Test
	void hitsMissesAndSizeAreMetrics() {
		var meters = new SimpleMeterRegistry();
		statuses.bindTo(meters);

		status(TenantStatus.ACTIVE);
		status(TenantStatus.ACTIVE);
		status(TenantStatus.ACTIVE);

		assertThat(meters.get("cache.gets").tag("cache", "statuses").tag("result", "hit").functionCounter().count())
			.isEqualTo(2);
		assertThat(meters.get("cache.gets").tag("cache", "statuses").tag("result", "miss").functionCounter().count())
			.isEqualTo(1);
		assertThat(meters.get("cache.size").tag("cache", "statuses").gauge().value()).isEqualTo(1);
	}
}

package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The remembered tenant statuses on a clock the tests move by hand. */
class TenantStatusesTests {

	static final TenantId ACME = TenantId.of("acme");

	final AtomicLong nanos = new AtomicLong();

	final TenantStatuses statuses = new TenantStatuses(Duration.ofSeconds(5), nanos::get);

	final AtomicInteger reads = new AtomicInteger();

	Optional<TenantStatus> status(TenantStatus stored) {
		return statuses.status(ACME, () -> {
			reads.incrementAndGet();
			return Optional.of(stored);
		});
	}

	@Test
	void aStatusIsReadOnceWithinTheCacheTimeAndAgainAfterIt() {
		assertThat(status(TenantStatus.ACTIVE)).contains(TenantStatus.ACTIVE);
		nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.ACTIVE);
		assertThat(reads).hasValue(1);

		nanos.addAndGet(Duration.ofMillis(1).toNanos());

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
		assertThat(reads).hasValue(2);
	}

	@Test
	void anEvictionMakesTheNextCheckReadAgain() {
		status(TenantStatus.ACTIVE);

		statuses.evictAfterCommit(ACME);

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
	}

	@Test
	void anUnknownTenantIsNotRemembered() {
		assertThat(statuses.status(ACME, Optional::empty)).isEmpty();

		assertThat(status(TenantStatus.ACTIVE)).contains(TenantStatus.ACTIVE);
	}

	@Test
	void aStatusReadBeforeAnEvictionIsNotRemembered() {
		var read = statuses.status(ACME, () -> {
			// The change commits and evicts while this (older) read is under way.
			statuses.evict(ACME);
			return Optional.of(TenantStatus.ACTIVE);
		});
		assertThat(read).contains(TenantStatus.ACTIVE);

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
	}
}

package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The remembered tenants on a clock the tests move by hand. */
class RememberedTenantsTests {

	static final TenantId ACME = TenantId.of("acme");

	final AtomicLong nanos = new AtomicLong();

	final RememberedTenants statuses = new RememberedTenants(Duration.ofSeconds(5), nanos::get);

	final AtomicInteger reads = new AtomicInteger();

	static TenantDetails acme(TenantStatus status) {
		return new TenantDetails(ACME, "Acme", status, "BR", Instant.EPOCH, null);
	}

	Optional<TenantStatus> status(TenantStatus stored) {
		return statuses.details(ACME, () -> {
			reads.incrementAndGet();
			return Optional.of(acme(stored));
		}).map(TenantDetails::status);
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
		assertThat(statuses.details(ACME, Optional::empty)).isEmpty();

		assertThat(status(TenantStatus.ACTIVE)).contains(TenantStatus.ACTIVE);
	}

	@Test
	void aStatusReadBeforeAnEvictionIsNotRemembered() {
		var read = statuses.details(ACME, () -> {
			// The change commits and evicts while this (older) read is under way.
			statuses.evict(ACME);
			return Optional.of(acme(TenantStatus.ACTIVE));
		}).map(TenantDetails::status);
		assertThat(read).contains(TenantStatus.ACTIVE);

		assertThat(status(TenantStatus.DEACTIVATED)).contains(TenantStatus.DEACTIVATED);
	}
}

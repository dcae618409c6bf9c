package io.voxdesk.contacts.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;

import org.junit.jupiter.api.Test;

class TimeOrderedIdsTests {

	@Test
	void idsAreVersion7WithTheirMillisecondFirstAndGrowFromOneMillisecondToTheNext() {
		var at = Instant.parse("2026-12-07T00:50:00.123Z");
		var earlier = new TimeOrderedIds(Clock.fixed(at, ZoneOffset.UTC)).next();
		var later = new TimeOrderedIds(Clock.fixed(at.plusMillis(1), ZoneOffset.UTC)).next();

		assertThat(earlier.version()).isEqualTo(7);
		assertThat(earlier.variant()).isEqualTo(2);
		assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
		assertThat(later.toString()).isGreaterThan(earlier.toString());
	}

	@Test
	void idsOfTheSameMillisecondDiffer() {
		var ids = new TimeOrderedIds(Clock.fixed(Instant.parse("2026-12-07T00:50:00Z"), ZoneOffset.UTC));
		var seen = new HashSet<java.util.UUID>();
		for (var i = 0; i < 10_000; i++) {
			seen.add(ids.next());
		}
		assertThat(seen).hasSize(10_000);
	}
}

package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.voxdesk.calls.CallStatus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Calls in progress in every tenant, by status, as the gauge {@code voxdesk.calls.in-progress}: read from the
 * database, so every instance reports the same cluster-wide figure (an operator takes the maximum, not the sum).
 * One query serves the gauges of a scrape; a database that does not answer leaves the last figure.
 */
@Component
class CallsInProgress implements MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(CallsInProgress.class);

	/** Shorter than any sensible scrape interval, long enough that one scrape's gauges share a query. */
	private static final Duration FRESH_FOR = Duration.ofSeconds(1);

	private final JdbcClient jdbc;

	private final Clock clock;

	private Map<String, Long> counts = Map.of();

	private Instant readAt = Instant.EPOCH;

	CallsInProgress(JdbcClient jdbc, Optional<Clock> clock) {
		this.jdbc = jdbc;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (var status : new CallStatus[] { CallStatus.RINGING, CallStatus.ANSWERED, CallStatus.ON_HOLD }) {
			Gauge.builder("voxdesk.calls.in-progress", this, figures -> figures.count(status))
				.description("Calls not ended yet in every tenant, by status (the same figure on every instance)")
				.tag("status", status.code())
				.register(registry);
		}
	}

	synchronized double count(CallStatus status) {
		var now = clock.instant();
		if (Duration.between(readAt, now).compareTo(FRESH_FOR) >= 0) {
			try {
				counts = jdbc.sql("select status, calls from calls_in_progress()")
					.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
					.stream()
					.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
				readAt = now;
			}
			catch (RuntimeException ex) {
				log.warn("Calls in progress could not be counted ({}); the gauge keeps its last figure", ex.toString());
			}
		}
		return counts.getOrDefault(status.name(), 0L);
	}
}

package io.voxdesk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far the event publication registry lags behind: events whose listeners have not completed yet, those that
 * failed, and the age of the oldest one not completed. Read from the database, so the same on every instance.
 * A registry that keeps growing or an age that keeps rising means a listener fails or cannot keep up.
 */
@Component
class EventPublicationLag implements MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(EventPublicationLag.class);

	private static final Duration FRESH_FOR = Duration.ofSeconds(1);

	private final JdbcClient jdbc;

	private final Clock clock;

	private Figures figures = new Figures(0, 0, 0);

	private Instant readAt = Instant.EPOCH;

	EventPublicationLag(JdbcClient jdbc, Optional<Clock> clock) {
		this.jdbc = jdbc;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("voxdesk.events.incomplete", this, lag -> lag.figures().incomplete())
			.description("Event publications whose listener has not completed (the same figure on every instance)")
			.register(registry);
		Gauge.builder("voxdesk.events.failed", this, lag -> lag.figures().failed())
			.description("Event publications whose listener failed and waits to be resubmitted")
			.register(registry);
		Gauge.builder("voxdesk.events.oldest-incomplete.age", this, lag -> lag.figures().oldestSeconds())
			.description("How long ago the oldest event publication not completed was published; 0 when none")
			.baseUnit("seconds")
			.register(registry);
	}

	synchronized Figures figures() {
		var now = clock.instant();
		if (Duration.between(readAt, now).compareTo(FRESH_FOR) >= 0) {
			try {
				figures = jdbc.sql("""
						select count(*), count(*) filter (where status = 'FAILED'),
						  coalesce(extract(epoch from now() - min(publication_date)), 0)
						from event_publication where completion_date is null""")
					.query((rs, row) -> new Figures(rs.getLong(1), rs.getLong(2), rs.getDouble(3)))
					.single();
				readAt = now;
			}
			catch (RuntimeException ex) {
				log.warn("The event publication registry could not be read ({}); its gauges keep their last figures",
						ex.toString());
			}
		}
		return figures;
	}

	record Figures(long incomplete, long failed, double oldestSeconds) {
	}
}

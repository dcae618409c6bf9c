package io.voxdesk;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import io.voxdesk.tenants.InstanceName;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The instances running against this database ({@code running_instances}): this one writes its row every
 * {@link #BEAT} and removes it when it stops; a row that stops moving belongs to an instance that died. Times are the
 * database's, so the instances' clocks need not agree.
 */
@Component
class RunningInstances {

	/** How often each instance says it is running. */
	static final Duration BEAT = Duration.ofSeconds(2);

	/** A row not seen for this long belongs to an instance that is gone (five beats missed). */
	static final Duration GONE_AFTER = BEAT.multipliedBy(5);

	private static final Logger log = LoggerFactory.getLogger(RunningInstances.class);

	private final JdbcClient jdbc;

	private final String name;

	RunningInstances(JdbcClient jdbc, InstanceName name) {
		this.jdbc = jdbc;
		this.name = name.value();
	}

	@Scheduled(fixedRate = 2_000)
	void beat() {
		try {
			jdbc.sql("""
					insert into running_instances (name, started_at, seen_at) values (:name, now(), now())
					on conflict (name) do update set seen_at = now()""").param("name", name).update();
		}
		catch (RuntimeException ex) {
			log.debug("Could not say this instance is running: {}", ex.toString());
		}
	}

	/** Rows of instances that died are kept a day (for an operator to see), then removed. */
	@Scheduled(initialDelay = 60_000, fixedRate = 3_600_000)
	void forgetTheLongDead() {
		try {
			jdbc.sql("delete from running_instances where seen_at < now() - interval '1 day'").update();
		}
		catch (RuntimeException ex) {
			log.debug("Could not remove rows of instances long gone: {}", ex.toString());
		}
	}

	/** The other instances seen lately, with when each was last seen; one that died may be among them for a while. */
	Map<String, Instant> othersSeen() {
		return seenAt(jdbc.sql("""
				select name, seen_at from running_instances
				 where name <> :name and seen_at > now() - make_interval(secs => :gone)""")
			.param("name", name)
			.param("gone", GONE_AFTER.toSeconds()));
	}

	/**
	 * Of the instances {@code seen}, those that did not die: seen again since, or gone from the table (they stopped
	 * cleanly, and may still be finishing their work). Only a row that stayed as it was belongs to a dead instance.
	 */
	Map<String, Instant> notDead(Map<String, Instant> seen) {
		var now = seenAt(jdbc.sql("select name, seen_at from running_instances"));
		return seen.entrySet()
			.stream()
			.filter(entry -> !now.containsKey(entry.getKey()) || now.get(entry.getKey()).isAfter(entry.getValue()))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private static Map<String, Instant> seenAt(JdbcClient.StatementSpec rows) {
		return rows.query((rs, row) -> Map.entry(rs.getString(1), rs.getTimestamp(2).toInstant()))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	@PreDestroy
	void stopped() {
		try {
			jdbc.sql("delete from running_instances where name = :name").param("name", name).update();
		}
		catch (RuntimeException ex) {
			log.debug("Could not say this instance stopped: {}", ex.toString());
		}
	}
}

package io.voxdesk;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands unfinished event publications back to their listeners, one instance at a time, under a transaction-scoped
 * advisory lock (two resubmitting at once could both claim the same publication: Spring Modulith 2.1.1 claims by
 * status, and a publication completed in between can be claimed again, so its listener would run twice).
 * <ul>
 * <li>Every {@code voxdesk.events.resubmit-interval} (30 s): those whose listener failed (it threw, or the database
 * went away while it ran), and those nobody has touched for {@code voxdesk.events.abandoned-after} (5 min): their
 * instance died while it had them, and no other would ever pick them up without a restart.</li>
 * <li>Once after start: every one published before this instance started, as Spring Modulith's
 * {@code republish-outstanding-events-on-restart} did, but only when no other instance is running, since another
 * instance may be processing them right now (it published them a moment ago); with others running, only the
 * abandoned ones. Whether another instance runs is told by {@link RunningInstances}: rows seen lately are watched
 * for {@link #WATCH}; one that moves is running, one that disappears stopped cleanly and may still be finishing its
 * work, and only rows that stay as they were belong to instances that died (such as the one this start replaces).</li>
 * </ul>
 * Either way a publication is handed back by marking it failed and resubmitting the failed ones: Spring Modulith
 * cannot claim a publication again once it was resubmitted, so one resubmitted by an instance that died would
 * otherwise stay unfinished for good. The conditions use the database's clock.
 */
@Component
class EventResubmission {

	private static final Logger log = LoggerFactory.getLogger(EventResubmission.class);

	/** The advisory lock's key: any number no other part of Voxdesk locks. */
	private static final long LOCK = 0x766f78_0018L;

	/** How long a starting instance watches the others' rows: long enough for a running one to beat twice. */
	static final Duration WATCH = RunningInstances.BEAT.multipliedBy(3);

	private final FailedEventPublications failed;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final RunningInstances instances;

	private final Duration abandonedAfter;

	/** Publications before this were made by an earlier run or another instance, not by this one. */
	private final Instant started = Instant.now();

	EventResubmission(FailedEventPublications failed, JdbcClient jdbc, TransactionTemplate transaction,
			RunningInstances instances, @Value("${voxdesk.events.abandoned-after:5m}") Duration abandonedAfter) {
		this.failed = failed;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.instances = instances;
		this.abandonedAfter = abandonedAfter;
	}

	@EventListener(ApplicationReadyEvent.class)
	void afterStart() {
		try {
			handBack(instances.othersSeen(), started);
		}
		catch (RuntimeException ex) {
			log.warn("Could not tell whether other instances run ({}); unfinished event publications are handed back "
					+ "once abandoned", ex.toString());
		}
	}

	/**
	 * Hands unfinished publications back after start, once the instances {@code seen} lately have been watched.
	 *
	 * @param publishedBefore this instance's start: what it published itself is in its own hands.
	 * @return true once it handed back every one published before that (no other instance runs), false if only the
	 *     abandoned ones.
	 */
	CompletableFuture<Boolean> handBack(Map<String, Instant> seen, Instant publishedBefore) {
		var watch = seen.isEmpty() ? Duration.ZERO : WATCH;
		return CompletableFuture.supplyAsync(() -> {
			var running = seen.isEmpty() ? seen : instances.notDead(seen);
			var all = running.isEmpty();
			try {
				transaction.executeWithoutResult(status -> {
					if (!locked()) {
						return;
					}
					if (all) {
						var marked = markFailed("publication_date < :before", Map.of("before", Timestamp.from(publishedBefore)));
						log.info("No other instance runs: handing {} unfinished event publications back to their listeners",
								marked);
					}
					else {
						log.info("{} other instance(s) running: handing back only event publications abandoned for {}",
								running.size(), abandonedAfter);
					}
					handBackLocked();
				});
			}
			catch (RuntimeException ex) {
				log.warn("Unfinished event publications could not be handed back after start ({}); the periodic "
						+ "resubmission will", ex.toString());
			}
			return all;
		}, CompletableFuture.delayedExecutor(watch.toMillis(), TimeUnit.MILLISECONDS));
	}

	@Scheduled(fixedDelayString = "${voxdesk.events.resubmit-interval:30s}",
			initialDelayString = "${voxdesk.events.resubmit-interval:30s}")
	void resubmit() {
		try {
			transaction.executeWithoutResult(status -> {
				// Unfinished publications are few: the completion date's index finds them.
				var open = jdbc.sql("select count(*) from event_publication where completion_date is null")
					.query(Long.class)
					.single();
				if (open > 0 && locked()) {
					handBackLocked();
				}
			});
		}
		catch (RuntimeException ex) {
			log.warn("Event publications could not be resubmitted ({}); trying again later", ex.toString());
		}
	}

	/** Under the lock: the abandoned ones marked failed, then every failed one resubmitted. */
	private void handBackLocked() {
		var abandoned = markFailed("""
				greatest(publication_date, coalesce(last_resubmission_date, publication_date))
				  < now() - make_interval(secs => :after)""", Map.of("after", abandonedAfter.toSeconds()));
		if (abandoned > 0) {
			log.warn("{} event publications untouched for {} taken as abandoned (their instance stopped while it had them)",
					abandoned, abandonedAfter);
		}
		var failures = jdbc.sql("select count(*) from event_publication where completion_date is null and status = 'FAILED'")
			.query(Long.class)
			.single();
		if (failures > 0) {
			log.info("Resubmitting {} failed event publications", failures);
			failed.resubmit(ResubmissionOptions.defaults());
		}
	}

	/** Marks the unfinished publications matching {@code condition} failed, so that the resubmission claims them. */
	private int markFailed(String condition, Map<String, ?> parameters) {
		return jdbc.sql("update event_publication set status = 'FAILED' where completion_date is null "
				+ "and status is distinct from 'FAILED' and " + condition)
			.params(parameters)
			.update();
	}

	private boolean locked() {
		return Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", LOCK)
			.query(Boolean.class)
			.single());
	}
}

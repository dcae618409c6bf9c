package io.voxdesk;

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
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
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
 * went away while it ran), and those nobody has touched for {@code voxdesk.events.abandoned-after} (2 min): their
 * instance died while it had them, and no other would ever pick them up without a restart.</li>
 * <li>Once after start: every unfinished one, as Spring Modulith's {@code republish-outstanding-events-on-restart}
 * did, but only when no other instance is running, since another instance may be processing them right now (it
 * published them a moment ago); with others running, only the abandoned ones. Whether another instance runs is
 * told by {@link RunningInstances}: rows seen lately are watched for {@link #WATCH}, and only one that moves is
 * running (the one this instance replaces after a crash stops moving).</li>
 * </ul>
 */
@Component
class EventResubmission {

	private static final Logger log = LoggerFactory.getLogger(EventResubmission.class);

	/** The advisory lock's key: any number no other part of Voxdesk locks. */
	private static final long LOCK = 0x766f78_0018L;

	/** How long a starting instance watches the others' rows: long enough for a running one to beat twice. */
	static final Duration WATCH = RunningInstances.BEAT.multipliedBy(3);

	private final FailedEventPublications failed;

	private final IncompleteEventPublications incomplete;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final RunningInstances instances;

	private final Duration abandonedAfter;

	EventResubmission(FailedEventPublications failed, IncompleteEventPublications incomplete, JdbcClient jdbc,
			TransactionTemplate transaction, RunningInstances instances,
			@Value("${voxdesk.events.abandoned-after:2m}") Duration abandonedAfter) {
		this.failed = failed;
		this.incomplete = incomplete;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.instances = instances;
		this.abandonedAfter = abandonedAfter;
	}

	@EventListener(ApplicationReadyEvent.class)
	void started() {
		try {
			handBack(instances.othersSeen());
		}
		catch (RuntimeException ex) {
			log.warn("Could not tell whether other instances run ({}); unfinished event publications are handed back "
					+ "once abandoned", ex.toString());
		}
	}

	/**
	 * Hands unfinished publications back after start, once the instances {@code seen} lately have been watched.
	 *
	 * @return true once it handed back every one (no other instance runs), false if only the abandoned ones.
	 */
	CompletableFuture<Boolean> handBack(Map<String, Instant> seen) {
		var watch = seen.isEmpty() ? Duration.ZERO : WATCH;
		return CompletableFuture.supplyAsync(() -> {
			var running = seen.isEmpty() ? seen : instances.seenAgain(seen);
			var all = running.isEmpty();
			try {
				transaction.executeWithoutResult(status -> {
					if (!locked()) {
						return;
					}
					if (all) {
						log.info("No other instance runs: handing every unfinished event publication back to its listeners");
						incomplete.resubmitIncompletePublications(publication -> true);
					}
					else {
						log.info("{} other instance(s) running: handing back only event publications abandoned for {}",
								running.size(), abandonedAfter);
						incomplete.resubmitIncompletePublications(this::abandoned);
					}
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
				// A failed publication is never completed: the completion date's index finds the few open ones.
				var failures = jdbc.sql("select count(*) from event_publication where completion_date is null and status = 'FAILED'")
					.query(Long.class)
					.single();
				var abandoned = jdbc.sql("""
						select count(*) from event_publication where completion_date is null and status <> 'FAILED'
						   and greatest(publication_date, coalesce(last_resubmission_date, publication_date))
						       < now() - make_interval(secs => :after)""")
					.param("after", abandonedAfter.toSeconds())
					.query(Long.class)
					.single();
				if (failures + abandoned == 0 || !locked()) {
					return;
				}
				if (failures > 0) {
					log.info("Resubmitting {} failed event publications", failures);
					failed.resubmit(ResubmissionOptions.defaults());
				}
				if (abandoned > 0) {
					log.warn("Resubmitting {} event publications abandoned for {} (their instance stopped while it had them)",
							abandoned, abandonedAfter);
					incomplete.resubmitIncompletePublications(this::abandoned);
				}
			});
		}
		catch (RuntimeException ex) {
			log.warn("Event publications could not be resubmitted ({}); trying again later", ex.toString());
		}
	}

	/** Unfinished and untouched since {@code voxdesk.events.abandoned-after}: published, or last resubmitted, before. */
	private boolean abandoned(EventPublication publication) {
		var resubmitted = publication.getLastResubmissionDate();
		var touched = resubmitted != null && resubmitted.isAfter(publication.getPublicationDate()) ? resubmitted
				: publication.getPublicationDate();
		return publication.getStatus() != EventPublication.Status.FAILED
				&& touched.isBefore(Instant.now().minus(abandonedAfter));
	}

	private boolean locked() {
		return Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", LOCK)
			.query(Boolean.class)
			.single());
	}
}

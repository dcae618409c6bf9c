package io.voxdesk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands the event publications whose listener failed (it threw, or the database went away while it ran) to their
 * listeners again, every {@code voxdesk.events.resubmit-interval} (30 s), instead of only at the next start. One
 * instance at a time does it, under a transaction-scoped advisory lock: two resubmitting at once could both claim
 * the same publication (Spring Modulith 2.1.1 claims by status, and a publication completed in between can be
 * claimed again), and its listener would run twice.
 */
@Component
class EventResubmission {

	private static final Logger log = LoggerFactory.getLogger(EventResubmission.class);

	/** The advisory lock's key: any number no other part of Voxdesk locks. */
	private static final long LOCK = 0x766f78_0018L;

	private final FailedEventPublications failed;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	EventResubmission(FailedEventPublications failed, JdbcClient jdbc, TransactionTemplate transaction) {
		this.failed = failed;
		this.jdbc = jdbc;
		this.transaction = transaction;
	}

	@Scheduled(fixedDelayString = "${voxdesk.events.resubmit-interval:30s}",
			initialDelayString = "${voxdesk.events.resubmit-interval:30s}")
	void resubmit() {
		try {
			transaction.executeWithoutResult(status -> {
				// A failed publication is never completed: the completion date's index finds the few open ones.
				var count = jdbc.sql("select count(*) from event_publication where completion_date is null and status = 'FAILED'")
					.query(Long.class)
					.single();
				if (count == 0 || !jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", LOCK)
					.query(Boolean.class)
					.single()) {
					return;
				}
				log.info("Resubmitting {} failed event publications", count);
				failed.resubmit(ResubmissionOptions.defaults());
			});
		}
		catch (RuntimeException ex) {
			log.warn("Failed event publications could not be resubmitted ({}); trying again later", ex.toString());
		}
	}
}

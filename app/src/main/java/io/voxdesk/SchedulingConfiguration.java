package io.voxdesk;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.ErrorHandler;

/**
 * The scheduler of the modules' {@code @Scheduled} work ({@code spring.task.scheduling.*}). Without it Spring runs
 * that work on the STOMP broker's scheduler, whose threads also send the browsers' heart-beats: a pacing pass
 * waiting for a database connection would then hold up every session's heart-beat. Work that fails because the
 * database cannot be reached is logged as one line now and then, not a stack trace five times a second.
 */
@Configuration(proxyBeanMethods = false)
class SchedulingConfiguration {

	@Bean(name = "taskScheduler")
	ThreadPoolTaskScheduler taskScheduler(ThreadPoolTaskSchedulerBuilder builder) {
		var scheduler = builder.threadNamePrefix("scheduled-").build();
		scheduler.setErrorHandler(new ScheduledErrors(Duration.ofSeconds(30)));
		return scheduler;
	}

	/** Logs what a scheduled task threw; a database out of reach once per {@code quiet}, with how often it recurred. */
	static final class ScheduledErrors implements ErrorHandler {

		private static final Logger log = LoggerFactory.getLogger(ScheduledErrors.class);

		private final long quietNanos;

		private final AtomicLong loggedAt = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

		private final AtomicInteger unlogged = new AtomicInteger();

		ScheduledErrors(Duration quiet) {
			this.quietNanos = quiet.toNanos();
		}

		@Override
		public void handleError(Throwable error) {
			if (!databaseOutOfReach(error)) {
				log.error("A scheduled task failed", error);
				return;
			}
			var last = loggedAt.get();
			var now = System.nanoTime();
			if (now - last < quietNanos || !loggedAt.compareAndSet(last, now)) {
				unlogged.incrementAndGet();
				return;
			}
			log.warn("Scheduled work could not reach the database ({} more such failures since the last report): {}",
					unlogged.getAndSet(0), error.toString());
		}

		/** Out of reach only: deadlocks, lock timeouts and the like are bugs to see with their stack. */
		static boolean databaseOutOfReach(Throwable error) {
			return error instanceof DataAccessResourceFailureException
					|| error instanceof TransientDataAccessResourceException
					|| error instanceof CannotCreateTransactionException;
		}
	}
}

package io.voxdesk.calls.internal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lets a click-to-call answer before its commit reaches the disk, and makes sure it has before the provider is
 * asked to ring anyone. A synchronous commit waits for PostgreSQL to flush the WAL, and on a disk that stalls now
 * and then (200-450 ms seen on the benchmark machine, for a bare one-row commit too) every click in flight waits
 * with it. The click's transaction commits asynchronously instead; the dialer, before it originates, commits a
 * transaction of its own synchronously, and as PostgreSQL flushes the WAL in order, that flush covers the click.
 * If the database crashes in between, the click is lost and was never placed: no phone rings for a call Voxdesk
 * has no record of.
 */
@Component
class DurableCommits {

	private final JdbcClient jdbc;

	private final TransactionTemplate synchronous;

	DurableCommits(JdbcClient jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.synchronous = new TransactionTemplate(transactions);
		this.synchronous.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
	}

	/** The current transaction commits without waiting for the WAL flush (it alone: the setting is local to it). */
	@Transactional(propagation = Propagation.MANDATORY)
	public void commitWithoutWaitingForTheDisk() {
		jdbc.sql("select set_config('synchronous_commit', 'off', true)").query().singleValue();
	}

	/**
	 * Returns once every transaction committed before this call is on disk: commits one of its own synchronously.
	 * PostgreSQL flushes at commit only for a transaction that wrote to the WAL (an id alone is not enough), so it
	 * writes the smallest thing there is, an empty transactional WAL message, which touches no table and so waits
	 * for no lock.
	 */
	public void awaitEarlierCommits() {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Awaited inside a transaction, which may hold what it waits for");
		}
		synchronous.executeWithoutResult(status -> jdbc
			.sql("select pg_logical_emit_message(true, 'voxdesk.durable', '')")
			.query()
			.singleValue());
	}
}

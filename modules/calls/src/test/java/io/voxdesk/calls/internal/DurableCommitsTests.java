package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

/** A click's commit does not wait for the disk, nothing else's does, and the dialer's wait covers the click. */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class DurableCommitsTests {

	@Autowired
	DurableCommits durable;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	/** The setting and the backend, as seen from inside a transaction. */
	record Seen(String synchronousCommit, int backend) {
	}

	Seen seen() {
		return jdbc.sql("select current_setting('synchronous_commit'), pg_backend_pid()")
			.query((rs, n) -> new Seen(rs.getString(1), rs.getInt(2)))
			.single();
	}

	/**
	 * The hazard: the setting left on a pooled connection would make every later transaction lent that connection
	 * (a provider event, a ticket change) skip the disk too.
	 */
	@Test
	void onlyTheClicksOwnTransactionSkipsTheWaitAndThePooledConnectionForgetsIt() {
		var relaxed = transactions.execute(status -> {
			durable.commitWithoutWaitingForTheDisk();
			return seen();
		});
		assertThat(relaxed.synchronousCommit()).isEqualTo("off");

		var later = new ArrayList<Seen>();
		for (var n = 0; n < 5; n++) {
			later.add(transactions.execute(status -> seen()));
		}
		assertThat(later).extracting(Seen::synchronousCommit).containsOnly("on");
		// Otherwise the pool lent other connections and the test proved nothing about the one that was relaxed.
		assertThat(later).extracting(Seen::backend).contains(relaxed.backend());
	}

	@Test
	void itIsRefusedOutsideATransaction() {
		assertThatThrownBy(() -> durable.commitWithoutWaitingForTheDisk())
			.isInstanceOf(IllegalTransactionStateException.class);
	}

	@Test
	void afterTheWaitAnEarlierCommitThatSkippedTheDiskIsOnIt() {
		transactions.executeWithoutResult(status -> {
			durable.commitWithoutWaitingForTheDisk();
			// A write, as the click's insert is.
			jdbc.sql("select pg_logical_emit_message(true, 'test', 'click')").query().singleValue();
		});
		var committedUpTo = lsn("pg_current_wal_insert_lsn()");

		durable.awaitEarlierCommits();

		var flushed = lsn("pg_current_wal_flush_lsn()");
		assertThat(jdbc.sql("select pg_wal_lsn_diff(cast(:flushed as pg_lsn), cast(:committed as pg_lsn))")
			.param("flushed", flushed)
			.param("committed", committedUpTo)
			.query(Long.class)
			.single()).as("bytes of WAL flushed past the relaxed commit").isNotNegative();
	}

	@Test
	void theWaitIsRefusedInsideATransaction() {
		assertThatThrownBy(() -> transactions.executeWithoutResult(status -> durable.awaitEarlierCommits()))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("inside a transaction");
	}

	String lsn(String function) {
		return jdbc.sql("select cast(" + function + " as text)").query(String.class).single();
	}
}

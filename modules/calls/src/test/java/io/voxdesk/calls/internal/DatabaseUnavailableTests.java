package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures the call event pipeline waits out (the database is away) and which it reports (the event's own). */
class DatabaseUnavailableTests {

	@Test
	void aDatabaseThatCannotBeReachedIsWaitedOut() {
		assertThat(DatabaseUnavailable.causedBy(new CannotCreateTransactionException("no connection",
				new SQLException("Connection to 127.0.0.1:5432 refused", "08001")))).isTrue();
		// A server shutting down ("terminating connection due to administrator command"), wrapped by the ORM.
		assertThat(DatabaseUnavailable.causedBy(new JpaSystemException(new RuntimeException("JDBC exception",
				new SQLException("FATAL: terminating connection due to administrator command", "57P01"))))).isTrue();
		// A rollback that failed over the lost connection hides the first failure among its suppressed ones.
		var rollback = new JpaSystemException(new RuntimeException("Unable to rollback against JDBC Connection"));
		rollback.addSuppressed(new SQLException("An I/O error occurred while sending to the backend", "08006"));
		assertThat(DatabaseUnavailable.causedBy(rollback)).isTrue();
	}

	@Test
	void anEventsOwnFailureIsNot() {
		assertThat(DatabaseUnavailable.causedBy(new DataIntegrityViolationException("duplicate key",
				new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
		assertThat(DatabaseUnavailable.causedBy(new SQLException("stale fence", "P0001"))).isFalse();
		assertThat(DatabaseUnavailable.causedBy(new IllegalStateException("no such call"))).isFalse();
		assertThat(DatabaseUnavailable.causedBy(null)).isFalse();
	}
}

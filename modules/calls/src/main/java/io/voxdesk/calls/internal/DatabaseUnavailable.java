package io.voxdesk.calls.internal;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure because the database could not be reached (a restart, a failover, a network cut) from one the
 * work itself caused: the first is worth trying again once the database is back, the second is not.
 */
final class DatabaseUnavailable {

	/** PostgreSQL's "connection exception" class and its shutdown states: admin, crash, cannot connect now. */
	private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03");

	private DatabaseUnavailable() {
	}

	/**
	 * Whether {@code failure}, one of its causes, or an exception suppressed along the way (a rollback that failed
	 * over the connection's loss hides the first failure there) says the database could not be reached.
	 */
	static boolean causedBy(@Nullable Throwable failure) {
		return causedBy(failure, 0);
	}

	private static boolean causedBy(@Nullable Throwable failure, int depth) {
		for (var cause = failure; cause != null && depth < 20; cause = cause.getCause() == cause ? null : cause.getCause()) {
			depth++;
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
					|| cause instanceof SQLTransientConnectionException || cause instanceof SQLRecoverableException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || STATES.contains(sql.getSQLState()))) {
				return true;
			}
			for (var suppressed : cause.getSuppressed()) {
				if (causedBy(suppressed, depth)) {
					return true;
				}
			}
		}
		return false;
	}
}

package io.voxdesk.realtime.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Which instance pushes what every instance could compute alone, such as a campaign's figures: the one holding a
 * PostgreSQL advisory lock on a connection it keeps for this. Another instance takes the turn once that connection
 * ends: its instance stopped or died (the server ends the session when the socket closes), or the database restarted.
 * Without it every instance pushed the same figures through the relay, and every browser heard each of them once per
 * instance.
 */
final class FeedTurn implements DisposableBean {

	/** The advisory lock's key: "voxfeed" in ASCII, so that it cannot meet another lock of Voxdesk's by chance. */
	static final long KEY = 0x766f7866656564L;

	private static final Logger log = LoggerFactory.getLogger(FeedTurn.class);

	private final DataSource dataSource;

	private @Nullable Connection held;

	FeedTurn(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** Whether this instance has the turn now, taking it if nobody has; asked before each push. */
	synchronized boolean mine() {
		var connection = held;
		try {
			if (connection != null) {
				if (connection.isValid(1)) {
					return true;
				}
				log.warn("Lost the turn to push shared live figures: its database connection ended");
				release();
			}
			connection = dataSource.getConnection();
			try (var statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
				statement.setLong(1, KEY);
				try (var result = statement.executeQuery()) {
					if (result.next() && result.getBoolean(1)) {
						held = connection;
						log.info("This instance now pushes the live figures every instance shares (campaigns)");
						return true;
					}
				}
			}
			connection.close();
			return false;
		}
		catch (SQLException ex) {
			log.debug("Taking the turn to push shared live figures failed: {}", ex.toString());
			if (connection != null && connection != held) {
				close(connection);
			}
			return false;
		}
	}

	/** Gives the turn up: the lock first, since a pooled connection goes back to the pool with its session's locks. */
	private void release() {
		var connection = held;
		held = null;
		if (connection == null) {
			return;
		}
		try (var statement = connection.prepareStatement("select pg_advisory_unlock(?)")) {
			statement.setLong(1, KEY);
			statement.execute();
		}
		catch (SQLException ex) {
			// A dead connection holds nothing any more; the pool drops it.
			log.debug("Releasing the turn failed: {}", ex.toString());
		}
		close(connection);
	}

	private static void close(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			log.debug("Closing a connection failed: {}", ex.toString());
		}
	}

	@Override
	public synchronized void destroy() {
		release();
	}
}

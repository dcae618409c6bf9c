package io.voxdesk.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;

import io.voxdesk.testing.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link FeedTurn} on the real PostgreSQL: of two instances exactly one has the turn, and it passes to the other once
 * the holder stops, or once its database session is killed under it (as when its process dies).
 */
class FeedTurnTests {

	final FeedTurn one = new FeedTurn(dataSource());

	final FeedTurn two = new FeedTurn(dataSource());

	static PGSimpleDataSource dataSource() {
		var database = TestDatabase.get();
		var source = new PGSimpleDataSource();
		source.setUrl(database.url());
		source.setUser(database.appUser());
		source.setPassword(database.appPassword());
		return source;
	}

	@AfterEach
	void giveUp() {
		one.destroy();
		two.destroy();
	}

	@Test
	void oneOfTwoInstancesHasTheTurnUntilItStops() {
		assertThat(one.mine()).isTrue();
		assertThat(two.mine()).isFalse();
		assertThat(one.mine()).as("asked again").isTrue();
		assertThat(two.mine()).as("asked again").isFalse();

		one.destroy();

		assertThat(two.mine()).isTrue();
		assertThat(one.mine()).isFalse();
	}

	@Test
	void theTurnOfAnInstanceWhoseSessionEndedPassesOn() throws Exception {
		assertThat(one.mine()).isTrue();
		assertThat(two.mine()).isFalse();

		// As the same role, which may end its own sessions.
		try (Connection other = dataSource().getConnection(); var statement = other.prepareStatement("""
				select pg_terminate_backend(pid) from pg_locks
				 where locktype = 'advisory' and granted and ((classid::bigint << 32) | objid::bigint) = ?""")) {
			statement.setLong(1, FeedTurn.KEY);
			try (var killed = statement.executeQuery()) {
				assertThat(killed.next()).as("the holder's session found by its lock").isTrue();
			}
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> two.mine());
		assertThat(one.mine()).as("the killed holder, asking again").isFalse();
	}
}

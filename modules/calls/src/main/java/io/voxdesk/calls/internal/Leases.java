package io.voxdesk.calls.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.voxdesk.calls.ConnectionTakenOver;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.spi.ConnectionLeases;
import io.voxdesk.calls.spi.Lease;
import io.voxdesk.calls.spi.LeaseState;
import io.voxdesk.calls.spi.ProviderConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Connection leases in PostgreSQL ({@code connection_leases}). Every decision is one statement judged by the
 * database's clock, so two instances racing for an expired lease cannot both win and skewed clocks between hosts
 * do not matter. Leases are kept through two database connections of their own: a holder whose shared pool is
 * exhausted by load would otherwise fail to renew, and another instance would take its connections over although
 * it is alive.
 */
@Component
class Leases implements ConnectionLeases, DisposableBean, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(Leases.class);

	// An update happens only where the lease expired, was released, or is the caller's own; the takeover columns
	// change only when the holder does, so last_takeover_at = now() tells this statement took it from someone.
	private static final String ACQUIRE = """
			insert into connection_leases as l (connection_id, holder, token, acquired_at, renewed_at, expires_at)
			values (:connection, :holder, 1, now(), now(), now() + :millis * interval '1 millisecond')
			on conflict (connection_id) do update set
			  holder = excluded.holder,
			  token = l.token + 1,
			  acquired_at = now(),
			  renewed_at = now(),
			  expires_at = excluded.expires_at,
			  previous_holder = case when l.holder <> excluded.holder then l.holder else l.previous_holder end,
			  last_takeover_at = case when l.holder <> excluded.holder then now() else l.last_takeover_at end,
			  last_takeover_cause = case
			    when l.holder = excluded.holder then l.last_takeover_cause
			    when l.expires_at = l.renewed_at then 'released by ' || l.holder
			    else 'the lease of ' || l.holder || ' expired '
			         || round(extract(epoch from now() - l.expires_at)::numeric, 1) || ' s ago (last renewed '
			         || round(extract(epoch from now() - l.renewed_at)::numeric, 1) || ' s ago)'
			  end
			where l.expires_at <= now() or l.holder = excluded.holder
			returning token, previous_holder, last_takeover_cause, coalesce(last_takeover_at = now(), false) as taken_over,
			  now() as at""";

	private final HikariDataSource pool;

	private final JdbcClient jdbc;

	private final TransactionTemplate leaseTransaction;

	private final TransactionTemplate eventTransaction;

	private final ApplicationEventPublisher events;

	private final AtomicLong takeovers = new AtomicLong();

	Leases(Environment environment, PlatformTransactionManager transactions, ApplicationEventPublisher events) {
		var config = new HikariConfig();
		config.setPoolName("voxdesk-leases");
		config.setJdbcUrl(environment.getRequiredProperty("spring.datasource.url"));
		config.setUsername(environment.getRequiredProperty("spring.datasource.username"));
		config.setPassword(environment.getRequiredProperty("spring.datasource.password"));
		config.setMaximumPoolSize(2);
		config.setMinimumIdle(1);
		// A lease not renewed within its term is lost anyway: waiting longer for a connection is pointless.
		config.setConnectionTimeout(2_000);
		// Starts without the database: keeping leases fails and is tried again, as every round does.
		config.setInitializationFailTimeout(-1);
		this.pool = new HikariDataSource(config);
		this.jdbc = JdbcClient.create(pool);
		this.leaseTransaction = new TransactionTemplate(new DataSourceTransactionManager(pool));
		this.eventTransaction = new TransactionTemplate(transactions);
		this.events = events;
	}

	@Override
	public void destroy() {
		pool.close();
	}

	/** Takeovers this instance made, as {@code voxdesk.calls.lease.takeovers}. */
	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("voxdesk.calls.lease.takeovers", takeovers, AtomicLong::get)
			.description("Provider connections this instance took over from another holder")
			.register(registry);
	}

	@Override
	public Optional<Lease> acquire(ProviderConnection connection, String holder, Duration duration) {
		var taken = leaseTransaction.execute(status -> acquired(connection, holder, duration));
		taken.filter(Acquired::takenOver).ifPresent(it -> {
			var previous = it.previousHolder() == null ? "another instance" : it.previousHolder();
			var cause = it.cause() == null ? "its lease ended" : it.cause();
			takeovers.incrementAndGet();
			log.warn("Connection {} taken over by {} from {} (token {}): {}", connection.id(), holder, previous,
					it.token(), cause);
			// Published in a transaction of the application's pool, where the event publication registry keeps it.
			eventTransaction.executeWithoutResult(status -> events.publishEvent(new ConnectionTakenOver(
					connection.tenant(), connection.id(), holder, previous, it.token(), cause, it.at())));
		});
		return taken.map(it -> new Lease(connection.id(), connection.tenant(), holder, it.token()));
	}

	private Optional<Acquired> acquired(ProviderConnection connection, String holder, Duration duration) {
		// A takeover waits for the old holder's fenced writes in flight; one that never ends (a paused process in
		// the middle of a transaction) fails this attempt instead of holding the instance's keeper.
		jdbc.sql("set local lock_timeout = '2s'").update();
		return jdbc.sql(ACQUIRE)
			.param("connection", connection.id().value())
			.param("holder", holder)
			.param("millis", duration.toMillis())
			.query((rs, row) -> new Acquired(rs.getLong("token"), rs.getString("previous_holder"),
					rs.getString("last_takeover_cause"), rs.getBoolean("taken_over"),
					rs.getTimestamp("at").toInstant()))
			.optional();
	}

	@Override
	public boolean renew(Lease lease, Duration duration) {
		return jdbc.sql("""
				update connection_leases set renewed_at = now(), expires_at = now() + :millis * interval '1 millisecond'
				where connection_id = :connection and holder = :holder and token = :token""")
			.param("millis", duration.toMillis())
			.param("connection", lease.connection().value())
			.param("holder", lease.holder())
			.param("token", lease.token())
			.update() == 1;
	}

	@Override
	public void release(Lease lease) {
		jdbc.sql("""
				update connection_leases set renewed_at = now(), expires_at = now()
				where connection_id = :connection and holder = :holder and token = :token""")
			.param("connection", lease.connection().value())
			.param("holder", lease.holder())
			.param("token", lease.token())
			.update();
	}

	@Override
	public List<LeaseState> all() {
		return jdbc.sql("select l.*, l.expires_at <= now() as expired from connection_leases l order by connection_id")
			.query(Leases::state)
			.list();
	}

	private static LeaseState state(ResultSet rs, int row) throws SQLException {
		return new LeaseState(new ProviderConnectionId(rs.getObject("connection_id", UUID.class)),
				rs.getString("holder"), rs.getLong("token"), instant(rs, "acquired_at"), instant(rs, "renewed_at"),
				instant(rs, "expires_at"), rs.getBoolean("expired"), rs.getString("previous_holder"), nullableInstant(rs, "last_takeover_at"),
				rs.getString("last_takeover_cause"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getTimestamp(column).toInstant();
	}

	private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
		Timestamp at = rs.getTimestamp(column);
		return at == null ? null : at.toInstant();
	}

	private record Acquired(long token, @Nullable String previousHolder, @Nullable String cause, boolean takenOver,
			Instant at) {
	}
}

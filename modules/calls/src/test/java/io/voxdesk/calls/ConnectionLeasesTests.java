package io.voxdesk.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.ConnectionLeases;
import io.voxdesk.calls.spi.Lease;
import io.voxdesk.calls.spi.LeaseState;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 18, point 1: a connection's lease is held by one instance at a time, passes to another only once it ran out
 * or was released, raises its fencing token at every acquisition, and a holder that lost it can no longer write
 * about the connection's calls. "Instances" here are holder names; the database decides, as between processes.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class ConnectionLeasesTests {

	static final Duration SHORT = Duration.ofMillis(800);

	static final Duration LONG = Duration.ofMinutes(5);

	@Autowired
	ConnectionLeases leases;

	@Autowired
	CallReports reports;

	@Autowired
	CallManagement calls;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TransactionTemplate transactions;

	TenantId tenant;

	ProviderConnection connection;

	@BeforeEach
	void connection() {
		tenant = new TestTenants(tenants, context).create("l", "Leases");
		var id = ConnectionRows.insert(jdbc, transactions, context, tenant, true);
		connection = new ProviderConnection(id, tenant, ProviderKind.of("asterisk"), "PBX", true, Map.of(), "secret");
	}

	@Test
	void oneHolderAtATimeAndAnotherTakesOverOnlyOnceTheLeaseRanOut(Scenario scenario) {
		var first = leases.acquire(connection, "instance-a", SHORT).orElseThrow();
		assertThat(leases.acquire(connection, "instance-b", SHORT)).as("b while a's lease runs").isEmpty();
		var again = leases.acquire(connection, "instance-a", SHORT).orElseThrow();
		assertThat(again.token()).as("every acquisition raises the token").isGreaterThan(first.token());
		assertThat(leases.renew(again, SHORT)).isTrue();
		assertThat(leases.renew(first, SHORT)).as("renewing under a superseded token").isFalse();

		// Instance a stops renewing, as a killed or paused process does.
		await().atMost(Duration.ofSeconds(5)).until(() -> expired(connection));
		scenario.stimulate(() -> leases.acquire(connection, "instance-b", LONG).orElseThrow())
			.andWaitForEventOfType(ConnectionTakenOver.class)
			.matching(event -> event.connectionId().equals(connection.id()))
			.toArriveAndVerify((event, lease) -> {
				assertThat(event.holder()).isEqualTo("instance-b");
				assertThat(event.previousHolder()).isEqualTo("instance-a");
				assertThat(event.token()).isEqualTo(lease.token()).isGreaterThan(again.token());
				assertThat(event.cause()).startsWith("the lease of instance-a expired");
			});
		assertThat(leases.renew(again, SHORT)).as("a's renewal after b took over").isFalse();
		assertThat(leases.acquire(connection, "instance-a", SHORT)).as("a while b's lease runs").isEmpty();
		var state = state(connection);
		assertThat(state.holder()).isEqualTo("instance-b");
		assertThat(state.previousHolder()).isEqualTo("instance-a");
		assertThat(state.lastTakeoverCause()).startsWith("the lease of instance-a expired");
	}

	@Test
	void aReleasedLeaseIsTakenAtOnceAndItsTokenNeverGoesBack() {
		var b = leases.acquire(connection, "instance-b", LONG).orElseThrow();
		leases.release(b);
		var a = leases.acquire(connection, "instance-a", LONG).orElseThrow();
		assertThat(a.token()).isGreaterThan(b.token());
		assertThat(state(connection).lastTakeoverCause()).isEqualTo("released by instance-b");
		assertThat(leases.renew(b, LONG)).isFalse();
	}

	/**
	 * Under load the application's pool can be exhausted for longer than a lease (every connection busy, requests
	 * queueing); a holder that could not renew then would lose its connections to another instance although alive.
	 */
	@Test
	void aHolderRenewsAndReleasesWhileEveryConnectionOfTheApplicationsPoolIsTaken() throws Exception {
		var a = leases.acquire(connection, "instance-a", SHORT).orElseThrow();
		var pool = dataSource.unwrap(HikariDataSource.class);
		var borrowed = new ArrayList<Connection>();
		try {
			while (borrowed.size() < pool.getMaximumPoolSize()) {
				borrowed.add(pool.getConnection());
			}
			assertThat(pool.getHikariPoolMXBean().getIdleConnections()).as("idle pooled connections").isZero();
			assertThat(leases.renew(a, LONG)).isTrue();
			assertThat(leases.all()).anyMatch(lease -> lease.connection().equals(connection.id())
					&& lease.holder().equals("instance-a") && !lease.expired());
			leases.release(a);
		}
		finally {
			for (var held : borrowed) {
				held.close();
			}
		}
		assertThat(leases.acquire(connection, "instance-b", LONG)).as("b after a released").isPresent();
	}

	/**
	 * The attack: instance a is paused (SIGSTOP, a long garbage collection, a network partition) past its lease,
	 * instance b takes the connection over and records that the customer hung up; a wakes up and writes what it had
	 * in hand (the call answered, then ended at another time). The database refuses every write a makes under its
	 * old lease, through the event pipeline and directly; b's writes and unfenced ones (an agent's request, a
	 * webhook) go through.
	 */
	@Test
	void aHolderThatLostItsLeaseCannotWriteAboutTheConnectionsCalls() {
		var a = leases.acquire(connection, "instance-a", SHORT).orElseThrow();
		var call = call();
		await().atMost(Duration.ofSeconds(5)).until(() -> expired(connection));
		var b = leases.acquire(connection, "instance-b", LONG).orElseThrow();

		var t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		assertThat(context.callFenced(tenant, b.fence(), () -> reports.apply(event(call, Type.ENDED, t0)))).isTrue();
		var afterB = context.callAs(tenant, () -> calls.find(call)).orElseThrow();
		assertThat(afterB.status()).isNotEqualTo(CallStatus.RINGING);

		assertThatThrownBy(() -> context.runFenced(tenant, a.fence(),
				() -> reports.apply(event(call, Type.ANSWERED, t0.minusSeconds(30)))))
			.hasStackTraceContaining("stale lease");
		assertThatThrownBy(() -> context.runFenced(tenant, a.fence(), () -> transactions.executeWithoutResult(
				status -> jdbc.sql("update calls set status = 'ANSWERED' where id = ?").param(call.value()).update())))
			.hasStackTraceContaining("stale lease");
		assertThatThrownBy(() -> context.runFenced(tenant, a.fence(), () -> reports.submit(
				event(call, Type.ENDED, t0.plusSeconds(40))).join()))
			.hasStackTraceContaining("stale lease");

		var details = context.callAs(tenant, () -> calls.find(call)).orElseThrow();
		assertThat(details.status()).isEqualTo(afterB.status());
		assertThat(details.endedAt()).isEqualTo(afterB.endedAt());
		assertThat(details.answeredAt()).as("a's answer").isNull();
		assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from call_events where call_id = ?")
			.param(call.value())
			.query(Long.class)
			.single())).as("only b's event").isEqualTo(1);
		// Work that depends on no lease is not fenced.
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> assertThat(jdbc
			.sql("update calls set number = number where id = ?")
			.param(call.value())
			.update()).isEqualTo(1)));
		// A fence naming a connection nobody holds is no fence at all: refused too.
		var forged = new Lease(connection.id(), tenant, "instance-a", b.token() + 1).fence();
		assertThatThrownBy(() -> context.runFenced(tenant, forged, () -> transactions.executeWithoutResult(
				status -> jdbc.sql("update calls set number = number where id = ?").param(call.value()).update())))
			.hasStackTraceContaining("stale lease");
		assertThat(a.token()).isLessThan(b.token());
	}

	ProviderCallEvent event(CallId call, Type type, Instant at) {
		return new ProviderCallEvent(call, "lease-test:" + type + ":" + at, type, CallLeg.CUSTOMER, at, null,
				type == Type.ENDED ? new HangupCause("16", "Normal Clearing", null) : null, null);
	}

	CallId call() {
		var id = CallId.random();
		var at = Timestamp.from(Instant.now());
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, record, requested_at, created_at, updated_at, version)
				values (:id, :tenant, 'outbound', 'RINGING', :connection, 'asterisk', :agent, 'Ana', '1001',
				  '+554833328530', false, :at, :at, :at, 0)""")
			.param("id", id.value())
			.param("tenant", tenant.value())
			.param("connection", connection.id().value())
			.param("agent", UUID.randomUUID().toString())
			.param("at", at)
			.update()));
		return id;
	}

	boolean expired(ProviderConnection of) {
		return jdbc.sql("select expires_at <= now() from connection_leases where connection_id = ?")
			.param(of.id().value())
			.query(Boolean.class)
			.single();
	}

	LeaseState state(ProviderConnection of) {
		return leases.all().stream().filter(lease -> lease.connection().equals(of.id())).findFirst().orElseThrow();
	}
}

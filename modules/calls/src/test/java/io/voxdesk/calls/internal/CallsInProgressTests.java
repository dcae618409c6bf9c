package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 18, point 8: the operators' gauge of calls in progress counts every tenant's open calls by status, although
 * the application's own queries see one tenant at a time, and names no tenant and no call.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class CallsInProgressTests {

	@Autowired
	CallsInProgress callsInProgress;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void countsTheOpenCallsOfEveryTenantByStatus() {
		var registry = new SimpleMeterRegistry();
		callsInProgress.bindTo(registry);
		var ringing = registry.get("voxdesk.calls.in-progress").tag("status", "ringing").gauge();
		var answered = registry.get("voxdesk.calls.in-progress").tag("status", "answered").gauge();
		var onHold = registry.get("voxdesk.calls.in-progress").tag("status", "on_hold").gauge();
		var ringingBefore = ringing.value();
		var answeredBefore = answered.value();
		var onHoldBefore = onHold.value();
		var testTenants = new TestTenants(tenants, context);
		var one = testTenants.create("g", "Gauges one");
		var two = testTenants.create("h", "Gauges two");

		call(one, CallStatus.RINGING, null);
		call(one, CallStatus.RINGING, null);
		call(one, CallStatus.COMPLETED, Instant.now());
		call(two, CallStatus.ANSWERED, null);
		call(two, CallStatus.ON_HOLD, null);
		call(two, CallStatus.NO_ANSWER, Instant.now());

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(ringing.value()).isEqualTo(ringingBefore + 2);
			assertThat(answered.value()).isEqualTo(answeredBefore + 1);
			assertThat(onHold.value()).isEqualTo(onHoldBefore + 1);
		});
		// What the gauge reads through its definer function is out of the application's own reach: outside a
		// tenant's scope row-level security shows it no call at all.
		var visible = context.callAsPlatform(() -> transactions.execute(status -> jdbc.sql("select count(*) from calls")
			.query(Long.class)
			.single()));
		assertThat(visible).isZero();
	}

	private void call(TenantId tenant, CallStatus status, @Nullable Instant endedAt) {
		var at = Timestamp.from(Instant.now());
		context.runAs(tenant, () -> transactions.executeWithoutResult(tx -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, record, requested_at, created_at, updated_at, ended_at, version)
				values (:id, :tenant, 'outbound', :status, :connection, 'asterisk', :agent, 'Ana', '1001',
				  '+554833328530', false, :at, :at, :at, :ended, 0)""")
			.param("id", CallId.random().value())
			.param("tenant", tenant.value())
			.param("status", status.name())
			.param("connection", UUID.randomUUID())
			.param("agent", UUID.randomUUID().toString())
			.param("at", at)
			.param("ended", endedAt == null ? null : Timestamp.from(endedAt))
			.update()));
	}
}

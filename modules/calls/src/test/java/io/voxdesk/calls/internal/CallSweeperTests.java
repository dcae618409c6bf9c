package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;

/** No call record stays open forever, even when its provider can no longer be asked. */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class CallSweeperTests {

	@Autowired
	CallSweeper sweeper;

	@Autowired
	CallManagement calls;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TenantId tenant;

	@BeforeEach
	void tenant() {
		tenant = new TestTenants(tenants, context).create("s", "Sweeper");
	}

	/** A ringing call last heard of {@code age} ago, whose connection (and so provider) no longer exists. */
	CallId ringingSince(Duration age) {
		var id = CallId.random();
		var at = Timestamp.from(Instant.now().minus(age));
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, record, requested_at, created_at, updated_at, version)
				values (:id, :tenant, 'outbound', 'RINGING', :connection, 'asterisk', 'ana', 'Ana', '1001',
				  '+554833328530', false, :at, :at, :at, 0)""")
			.param("id", id.value())
			.param("tenant", tenant.value())
			.param("connection", UUID.randomUUID())
			.param("at", at)
			.update()));
		return id;
	}

	@Test
	void aCallWithoutNewsForADayIsSettledAndARecentOneIsLeftAlone() {
		var forgotten = ringingSince(Duration.ofHours(25));
		var recent = ringingSince(Duration.ofHours(1));

		sweeper.sweep();

		var settled = context.callAs(tenant, () -> calls.find(forgotten)).orElseThrow();
		assertThat(settled.status()).isEqualTo(CallStatus.FAILED);
		assertThat(settled.endedAt()).isBefore(Instant.now().minus(Duration.ofHours(24)));
		assertThat(settled.failureReason()).isEqualTo("No news from the provider for 24 hours.");
		assertThat(context.callAs(tenant, () -> calls.find(recent)).orElseThrow().status()).isEqualTo(CallStatus.RINGING);
	}

	/**
	 * A click recorded just before Voxdesk stopped may never have been placed: the first sweep after the start asks
	 * the provider about every call still ringing from before it, and later sweeps wait the usual ten minutes.
	 */
	@Test
	void theFirstSweepAfterAStartLooksAtEveryCallRingingFromBeforeIt(@Autowired CallWorkflow workflow,
			@Autowired CallControl control, @Autowired CallsSettings settings) {
		var startedThreeMinutesAgo = new CallSweeper(jdbc, workflow, control, context, settings,
				Optional.of(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-3))));
		var beforeTheStart = ringingSince(Duration.ofMinutes(4));
		var sinceTheStart = ringingSince(Duration.ofMinutes(2));
		var now = Instant.now();

		assertThat(startedThreeMinutesAgo.stale(now, true)).extracting(CallSweeper.Stale::call)
			.contains(beforeTheStart)
			.doesNotContain(sinceTheStart);
		assertThat(startedThreeMinutesAgo.stale(now, false)).extracting(CallSweeper.Stale::call)
			.doesNotContain(beforeTheStart, sinceTheStart);
	}
}

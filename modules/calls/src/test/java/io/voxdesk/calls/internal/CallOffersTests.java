package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.voxdesk.calls.CallId;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.tickets.QueueId;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;

/** The offers Voxdesk made of inbound calls to agents, as round-robin reads them back. */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class CallOffersTests {

	@Autowired
	CallOffers offers;

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
		tenant = new TestTenants(tenants, context).create("o", "Offers");
	}

	/** A caller waiting in the queue since {@code at}. */
	CallId waitingIn(QueueId queue, Instant at) {
		var id = CallId.random();
		jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, number, record,
				  requested_at, created_at, updated_at, version, queue_id, queued_at)
				values (:id, :tenant, 'inbound', 'RINGING', :connection, 'asterisk', '+554833328530', false,
				  :at, :at, :at, 0, :queue, :at)""")
			.param("id", id.value())
			.param("tenant", tenant.value())
			.param("connection", UUID.randomUUID())
			.param("at", Timestamp.from(at))
			.param("queue", queue.value())
			.update();
		return id;
	}

	/**
	 * Issue 16, point 5 (round-robin): one distribution pass offers several waiting callers at the same instant, each
	 * as its call's first offer, so neither the time nor the offer's number tells them apart. The agent offered a
	 * call last is still the one the pass offered last: the next pass carries on after them, instead of after
	 * whichever of the pass's agents the database happened to return and then ringing an agent out of turn.
	 */
	@Test
	void theAgentOfferedACallLastIsTheLastOneOfAPassThatOfferedSeveralAtOnce() {
		var queue = QueueId.random();
		var pass = Instant.parse("2026-12-06T10:00:00Z");
		var agents = List.of("ana", "bia", "caio", "davi", "eva", "fabio", "gil", "hugo");

		for (int round = 0; round < agents.size(); round++) {
			var last = agents.get(round);
			var inOrder = new java.util.ArrayList<>(agents.subList(round + 1, agents.size()));
			inOrder.addAll(agents.subList(0, round + 1));
			var at = pass.plusSeconds(round);
			context.runAs(tenant, () -> transactions.executeWithoutResult(status -> inOrder
				.forEach(agent -> offers.create(waitingIn(queue, at), queue, UserId.of(agent), "1001", at))));

			assertThat(context.callAs(tenant, () -> offers.lastOfferedIn(queue)))
				.as("last of a pass offering %s", inOrder)
				.contains(UserId.of(last));
			context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc
				.sql("update call_offers set state = 'cancelled' where state = 'ringing'")
				.update()));
		}
	}
}

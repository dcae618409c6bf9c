package io.voxdesk.api4com.internal;

import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Tenants, API4COM connections and call records for the connector's tests, each test with tenants of its own. */
final class Api4comFixture {

	private final TenantManagement tenants;

	private final TenantContext context;

	private final ProviderConnectionManagement connections;

	private final ConnectionDirectory directory;

	private final CallManagement calls;

	private final WebhookStore store;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	Api4comFixture(TenantManagement tenants, TenantContext context, ProviderConnectionManagement connections,
			ConnectionDirectory directory, CallManagement calls, WebhookStore store, JdbcClient jdbc, TransactionTemplate transactions) {
		this.tenants = tenants;
		this.context = context;
		this.connections = connections;
		this.directory = directory;
		this.calls = calls;
		this.store = store;
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	TenantId tenant(String prefix) {
		return new TestTenants(tenants, context).create(prefix, "API4COM " + prefix);
	}

	/** An enabled connection to the fake API4COM; returns once its webhook registration was attempted. */
	ProviderConnection connect(TenantId tenant, Api4comStubs api4com, String token) {
		var created = context.callAs(tenant, () -> connections.create(new ProviderConnectionDraft(ProviderKind.of("api4com"),
				"API4COM", true, Map.of("baseUrl", api4com.baseUrl()), token)));
		awaitRegistrationAttempt(tenant, created.id(), null);
		return connection(tenant, created.id());
	}

	ProviderConnection connection(TenantId tenant, ProviderConnectionId id) {
		return context.callAs(tenant, () -> directory.connection(id)).orElseThrow();
	}

	/** Waits until a registration attempt newer than {@code after} is recorded. */
	WebhookStore.Registration awaitRegistrationAttempt(TenantId tenant, ProviderConnectionId connection,
			Instant after) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> context.callAs(tenant, () -> store.find(connection)).orElse(null),
					found -> found != null && found.attemptedAt() != null
							&& (after == null || found.attemptedAt().isAfter(after)));
	}

	/** A click-to-call record as the calls module leaves it, placed through the connection at the given time. */
	CallId call(TenantId tenant, ProviderConnectionId connection, Instant requestedAt) {
		var id = CallId.random();
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, record, requested_at, created_at, updated_at, version)
				values (:id, :tenant, 'outbound', 'RINGING', :connection, 'api4com', :agent, 'Ana', '1001',
				  '+554833328530', false, :at, :at, :at, 0)""")
			.param("id", id.value())
			.param("tenant", tenant.value())
			.param("connection", connection.value())
			.param("agent", UUID.randomUUID().toString())
			.param("at", Timestamp.from(requestedAt))
			.update()));
		return id;
	}

	/** Waits until every connection change has reached the connector, so that none spills into the next test. */
	void awaitConnectorsDone() {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> jdbc.sql("""
					select count(*) from event_publication
					where completion_date is null and listener_id like '%ConnectionSupervision%'""")
				.query(Long.class)
				.single(), count -> count == 0);
	}

	CallDetails details(TenantId tenant, CallId call) {
		return context.callAs(tenant, () -> calls.find(call)).orElseThrow();
	}

	long facts(TenantId tenant, CallId call) {
		return context.callAs(tenant, () -> jdbc.sql("select count(*) from call_events where call_id = :call")
			.param("call", call.value())
			.query(Long.class)
			.single());
	}
}

package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderOutcomeUnknownException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.CallPresence;
import io.voxdesk.calls.spi.Capability;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectionServedElsewhere;
import io.voxdesk.calls.spi.ConnectorDescription;
import io.voxdesk.calls.spi.ConnectorSetting;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.QueueTransfer;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.tenants.InstanceName;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 18, point 2: a request for a connection another instance serves reaches that instance through the database
 * and comes back with its answer, as if the connector of this instance had carried it out; a request is carried
 * out at most once, by whichever instance holds the lease when it is claimed, and a requester that hears nothing
 * says so instead of inventing an outcome. The "other instance" is a lease held under another name: this instance
 * claims only what its own lease covers. The test connector refuses on the requester's thread and serves on the
 * relay's, as a connector of a non-holder and of the holder do.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
@TestPropertySource(properties = "voxdesk.calls.relay-timeout=3s")
class ConnectorRelayTests {

	static final ProviderKind KIND = ProviderKind.of("relaypbx");

	@Autowired
	Connectors connectors;

	@Autowired
	ProviderConnectionManagement management;

	@Autowired
	ProviderConnectionWorkflow workflow;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	InstanceName instance;

	@Autowired
	RelayPbx pbx;

	TenantId tenant;

	ProviderConnection connection;

	@BeforeEach
	void connectionHeldByAnotherInstance() {
		tenant = new TestTenants(tenants, context).create("r", "Relay");
		var created = context.callAs(tenant, () -> management.create(new ProviderConnectionDraft(KIND, "Shared PBX",
				true, Map.of("host", "pbx.example.com"), "relay-secret")));
		connection = context.callAs(tenant, () -> workflow.connection(created.id()).orElseThrow());
		jdbc.sql("""
				insert into connection_leases (connection_id, holder, token, acquired_at, renewed_at, expires_at)
				values (:connection, 'another-instance', 1, now(), now(), now() + interval '5 minutes')""")
			.param("connection", connection.id().value())
			.update();
		pbx.originated.clear();
	}

	@Test
	void aClickQueuedWhileAnotherInstanceHoldsTheConnectionIsPlacedOnceByTheHolderAndAnswered() {
		var call = new OutboundCall(CallId.random(), "1001", "+554833328530", "Agent Ana", true);
		var answer = request(() -> connector().originate(connection, call));

		var queued = awaitQueued();
		assertThat(queued.operation()).isEqualTo("ORIGINATE");
		assertThat(queued.takenBy()).as("nobody here serves it yet").isNull();
		assertThat(pbx.originated).isEmpty();

		// This instance takes the lease over: it claims what waits for the connection and carries it out.
		takeOver();
		assertThat(answer.join()).isEqualTo("channel-" + call.call());
		assertThat(pbx.originated).containsExactly(call);
		assertThat(waitingCommands()).as("the requester removes its command once answered").isZero();
	}

	@Test
	void everyKindOfAnswerAndRefusalComesBackAsTheHoldersConnectorGaveIt() {
		takeOver();
		var call = CallId.random();
		assertThat(connector().presence(connection, call)).isEqualTo(CallPresence.LIVE);
		// Not relayed (a distribution pass asks for every agent): unknown here, so the agent counts as reachable.
		assertThat(connector().reachable(connection, "1001")).isEmpty();
		assertThat(connector().transferToQueue(connection, new QueueTransfer(call, CallId.random(), "default", null)))
			.isEqualTo("line-" + call);
		assertThatThrownBy(() -> connector().hold(connection, call)).isInstanceOf(CallNotPossibleException.class)
			.satisfies(ex -> {
				var problem = ((CallNotPossibleException) ex).getBody();
				assertThat(problem.getTitle()).isEqualTo("Call on hold elsewhere");
				assertThat(problem.getDetail()).isEqualTo("The PBX says the customer is already on hold.");
			});
		assertThatThrownBy(() -> connector().sendDtmf(connection, call, "12#")).isExactlyInstanceOf(ProviderException.class)
			.hasMessage("The PBX refused the digits 12#");
		assertThatThrownBy(() -> connector().hangUp(connection, call)).isExactlyInstanceOf(ProviderException.class)
			.hasMessageContaining("internal error");
	}

	@Test
	void aRequestNobodyTookByItsDeadlineIsWithdrawnAndNeverCarriedOutLater() {
		var late = new OutboundCall(CallId.random(), "1001", "+554833328531", "Agent Ana", false);
		assertThatThrownBy(() -> connector().originate(connection, late)).isExactlyInstanceOf(ProviderException.class)
			.hasMessageContaining("no instance serving it answered within 3 s");
		assertThat(waitingCommands()).isZero();

		// Once this instance holds the lease, a new request is carried out, the withdrawn one is not.
		takeOver();
		var next = new OutboundCall(CallId.random(), "1001", "+554833328532", "Agent Ana", false);
		assertThat(connector().originate(connection, next)).isEqualTo("channel-" + next.call());
		assertThat(pbx.originated).containsExactly(next);
	}

	@Test
	void aRequestTakenByAHolderThatNeverAnsweredIsReportedUnknownAndNotCarriedOutAgain() {
		var lost = new OutboundCall(CallId.random(), "1001", "+554833328533", "Agent Ana", false);
		var answer = request(() -> connector().originate(connection, lost));
		var queued = awaitQueued();
		// The holder claims it, then dies before answering (kill -9 between the claim and the PBX's answer).
		assertThat(context.callAs(tenant, () -> jdbc
			.sql("update connector_commands set taken_by = 'another-instance', taken_at = now() where id = :id")
			.param("id", queued.id())
			.update())).isOne();

		assertThat(answer).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isExactlyInstanceOf(ProviderOutcomeUnknownException.class)
			.withMessageContaining("another-instance")
			.withMessageContaining("whether the provider did it is unknown");

		takeOver();
		var next = new OutboundCall(CallId.random(), "1001", "+554833328534", "Agent Ana", false);
		assertThat(connector().originate(connection, next)).isEqualTo("channel-" + next.call());
		assertThat(pbx.originated).as("the new holder never runs what the old one took").containsExactly(next);
	}

	TelephonyConnector connector() {
		return connectors.find(KIND).orElseThrow();
	}

	<T> CompletableFuture<T> request(Supplier<T> work) {
		return CompletableFuture.supplyAsync(() -> context.callAs(tenant, work));
	}

	record Queued(UUID id, String operation, String takenBy) {
	}

	Queued awaitQueued() {
		return await().atMost(Duration.ofSeconds(5))
			.until(() -> context.callAs(tenant,
					() -> jdbc.sql("select id, operation, taken_by from connector_commands where connection_id = :c")
						.param("c", connection.id().value())
						.query((rs, row) -> new Queued(rs.getObject("id", UUID.class), rs.getString("operation"),
								rs.getString("taken_by")))
						.list()),
					list -> list.size() == 1)
			.getFirst();
	}

	int waitingCommands() {
		return context.callAs(tenant, () -> jdbc.sql("select count(*) from connector_commands where connection_id = :c")
			.param("c", connection.id().value())
			.query(Integer.class)
			.single());
	}

	void takeOver() {
		jdbc.sql("update connection_leases set holder = :me, token = token + 1 where connection_id = :connection")
			.param("me", instance.value())
			.param("connection", connection.id().value())
			.update();
	}

	@TestConfiguration
	static class RelayPbxConfiguration {

		@Bean
		RelayPbx relayPbx() {
			return new RelayPbx();
		}
	}

	/**
	 * A connector that serves its connection on the relay's threads only: to a request made anywhere else it
	 * answers as a connector on an instance without the lease does.
	 */
	static class RelayPbx implements TelephonyConnector {

		final List<OutboundCall> originated = new CopyOnWriteArrayList<>();

		@Override
		public ConnectorDescription description() {
			return new ConnectorDescription(KIND, "Relay PBX", List.of(ConnectorSetting.text("host", "Host"),
					ConnectorSetting.secret("password", "Password")), EnumSet.of(Capability.CLICK_TO_CALL,
							Capability.HOLD, Capability.DTMF, Capability.QUEUE_TRANSFER, Capability.INBOUND));
		}

		@Override
		public ConnectionCheck test(ProviderConnection connection) {
			return new ConnectionCheck(true, "reachable", List.of(), 0);
		}

		private void servedHere(ProviderConnection connection) {
			if (!Thread.currentThread().getName().startsWith("relay-command-")) {
				throw new ConnectionServedElsewhere(connection.id(), "Another instance serves " + connection.id());
			}
			if (!connection.secret().equals("relay-secret")) {
				throw new IllegalStateException("the holder must have the connection's secret decrypted");
			}
		}

		@Override
		public String originate(ProviderConnection connection, OutboundCall call) {
			servedHere(connection);
			originated.add(call);
			return "channel-" + call.call();
		}

		@Override
		public void hangUp(ProviderConnection connection, CallId call) {
			servedHere(connection);
			throw new IllegalStateException("a bug in the connector, with details no client should see");
		}

		@Override
		public CallPresence presence(ProviderConnection connection, CallId call) {
			servedHere(connection);
			return CallPresence.LIVE;
		}

		@Override
		public Optional<Boolean> reachable(ProviderConnection connection, String extension) {
			servedHere(connection);
			return extension.equals("1001") ? Optional.of(false) : Optional.empty();
		}

		@Override
		public String transferToQueue(ProviderConnection connection, QueueTransfer transfer) {
			servedHere(connection);
			return "line-" + transfer.call();
		}

		@Override
		public void hold(ProviderConnection connection, CallId call) {
			servedHere(connection);
			throw new CallNotPossibleException("Call on hold elsewhere", "The PBX says the customer is already on hold.");
		}

		@Override
		public void sendDtmf(ProviderConnection connection, CallId call, String digits) {
			servedHere(connection);
			throw new ProviderException("The PBX refused the digits " + digits);
		}
	}
}

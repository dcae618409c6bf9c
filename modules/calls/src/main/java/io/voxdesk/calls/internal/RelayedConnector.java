package io.voxdesk.calls.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.spi.AgentOffer;
import io.voxdesk.calls.spi.CallPresence;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectionServedElsewhere;
import io.voxdesk.calls.spi.ConnectorDescription;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.QueueTransfer;
import io.voxdesk.calls.spi.SipEndpoint;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.calls.spi.TransferRequest;
import io.voxdesk.tenants.SecretPurpose;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A connector as the calls module uses it: every request goes to the connector of this instance, and one it answers
 * with {@link ConnectionServedElsewhere} is handed to the instance that serves the connection through
 * {@link ConnectorRelay}, which answers with what the connector there did. Callers cannot tell the difference.
 */
final class RelayedConnector implements TelephonyConnector {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration PRESENCE_TIMEOUT = Duration.ofSeconds(2);

	/** The requests that can be relayed, with how the serving instance runs each from its stored arguments. */
	enum Operation {

		ORIGINATE((connector, connection, arguments) -> connector.originate(connection,
				read(arguments, OutboundCall.class))),
		HANG_UP((connector, connection, arguments) -> done(() -> connector.hangUp(connection, call(arguments)))),
		PRESENCE((connector, connection, arguments) -> connector.presence(connection, call(arguments)).name()),
		HOLD((connector, connection, arguments) -> done(() -> connector.hold(connection, call(arguments)))),
		RESUME((connector, connection, arguments) -> done(() -> connector.resume(connection, call(arguments)))),
		SEND_DTMF((connector, connection, arguments) -> {
			var dtmf = read(arguments, Dtmf.class);
			return done(() -> connector.sendDtmf(connection, dtmf.call(), dtmf.digits()));
		}),
		TRANSFER((connector, connection, arguments) -> done(() -> connector.transfer(connection,
				read(arguments, TransferRequest.class)))),
		COMPLETE_TRANSFER((connector, connection, arguments) -> done(() -> connector.completeTransfer(connection,
				read(arguments, TransferRequest.class)))),
		CANCEL_TRANSFER((connector, connection, arguments) -> done(() -> connector.cancelTransfer(connection,
				read(arguments, TransferRequest.class)))),
		TRANSFER_TO_QUEUE((connector, connection, arguments) -> connector.transferToQueue(connection,
				read(arguments, QueueTransfer.class))),
		OFFER((connector, connection, arguments) -> done(() -> connector.offer(connection,
				read(arguments, AgentOffer.class)))),
		WITHDRAW((connector, connection, arguments) -> {
			var withdrawal = read(arguments, Withdrawal.class);
			return done(() -> connector.withdraw(connection, withdrawal.call(), withdrawal.offer()));
		}),
		RELEASE((connector, connection, arguments) -> {
			var release = read(arguments, Release.class);
			return done(() -> connector.release(connection, release.call(), release.message()));
		}),
		START_RECORDING((connector, connection, arguments) -> done(() -> connector.startRecording(connection,
				call(arguments)))),
		STOP_RECORDING((connector, connection, arguments) -> done(() -> connector.stopRecording(connection,
				call(arguments))));

		private final Run run;

		Operation(Run run) {
			this.run = run;
		}

		/** Runs the request on this instance's connector; the answer as text, if the request has one. */
		@Nullable String run(TelephonyConnector connector, ProviderConnection connection, JsonNode arguments) {
			return run.run(connector, connection, arguments);
		}

		private static CallId call(JsonNode arguments) {
			return read(arguments, CallArgument.class).call();
		}

		private static @Nullable String done(Runnable request) {
			request.run();
			return null;
		}
	}

	@FunctionalInterface
	private interface Run {

		@Nullable String run(TelephonyConnector connector, ProviderConnection connection, JsonNode arguments);
	}

	record CallArgument(CallId call) {
	}

	record Dtmf(CallId call, String digits) {
	}

	record Withdrawal(CallId call, int offer) {
	}

	record Release(CallId call, @Nullable String message) {
	}

	private final TelephonyConnector local;

	private final ConnectorRelay relay;

	RelayedConnector(TelephonyConnector local, ConnectorRelay relay) {
		this.local = local;
		this.relay = relay;
	}

	static JsonNode write(Object arguments) {
		return JSON.valueToTree(arguments);
	}

	static <T> T read(JsonNode arguments, Class<T> type) {
		return JSON.treeToValue(arguments, type);
	}

	private @Nullable String relayed(ProviderConnection connection, Operation operation, Object arguments,
			Supplier<@Nullable String> here) {
		try {
			return here.get();
		}
		catch (ConnectionServedElsewhere elsewhere) {
			return relay.send(connection, operation, write(arguments), elsewhere, null);
		}
	}

	private void relayed(ProviderConnection connection, Operation operation, Object arguments, Runnable here) {
		relayed(connection, operation, arguments, () -> {
			here.run();
			return null;
		});
	}

	@Override
	public ConnectorDescription description() {
		return local.description();
	}

	@Override
	public void validate(ProviderConnectionDraft draft) {
		local.validate(draft);
	}

	@Override
	public SecretPurpose secretPurpose() {
		return local.secretPurpose();
	}

	@Override
	public Optional<SipEndpoint> sipEndpoint(Map<String, String> settings) {
		return local.sipEndpoint(settings);
	}

	@Override
	public ConnectionCheck test(ProviderConnection connection) {
		// An admin's test is about the connection as this instance reaches it, and says who holds it otherwise.
		return local.test(connection);
	}

	@Override
	public @Nullable String originate(ProviderConnection connection, OutboundCall call) {
		return relayed(connection, Operation.ORIGINATE, call, () -> local.originate(connection, call));
	}

	@Override
	public void hangUp(ProviderConnection connection, CallId call) {
		relayed(connection, Operation.HANG_UP, new CallArgument(call), () -> local.hangUp(connection, call));
	}

	@Override
	public CallPresence presence(ProviderConnection connection, CallId call) {
		try {
			return local.presence(connection, call);
		}
		catch (ConnectionServedElsewhere elsewhere) {
			try {
				// The sweeper asks about one stale call after the other: a holder that does not answer quickly
				// leaves the call unknown rather than holding the sweep up.
				var answer = relay.send(connection, Operation.PRESENCE, write(new CallArgument(call)), elsewhere,
						PRESENCE_TIMEOUT);
				return answer == null ? CallPresence.UNKNOWN : CallPresence.valueOf(answer);
			}
			catch (RuntimeException ex) {
				return CallPresence.UNKNOWN;
			}
		}
	}

	@Override
	public void hold(ProviderConnection connection, CallId call) {
		relayed(connection, Operation.HOLD, new CallArgument(call), () -> local.hold(connection, call));
	}

	@Override
	public void resume(ProviderConnection connection, CallId call) {
		relayed(connection, Operation.RESUME, new CallArgument(call), () -> local.resume(connection, call));
	}

	@Override
	public void sendDtmf(ProviderConnection connection, CallId call, String digits) {
		relayed(connection, Operation.SEND_DTMF, new Dtmf(call, digits), () -> local.sendDtmf(connection, call, digits));
	}

	@Override
	public void transfer(ProviderConnection connection, TransferRequest request) {
		relayed(connection, Operation.TRANSFER, request, () -> local.transfer(connection, request));
	}

	@Override
	public void completeTransfer(ProviderConnection connection, TransferRequest request) {
		relayed(connection, Operation.COMPLETE_TRANSFER, request, () -> local.completeTransfer(connection, request));
	}

	@Override
	public void cancelTransfer(ProviderConnection connection, TransferRequest request) {
		relayed(connection, Operation.CANCEL_TRANSFER, request, () -> local.cancelTransfer(connection, request));
	}

	@Override
	public String transferToQueue(ProviderConnection connection, QueueTransfer transfer) {
		var line = relayed(connection, Operation.TRANSFER_TO_QUEUE, transfer,
				() -> local.transferToQueue(connection, transfer));
		if (line == null) {
			throw new IllegalStateException("The connector moved the customer to a queue without naming their line");
		}
		return line;
	}

	@Override
	public void offer(ProviderConnection connection, AgentOffer offer) {
		relayed(connection, Operation.OFFER, offer, () -> local.offer(connection, offer));
	}

	@Override
	public Optional<Boolean> reachable(ProviderConnection connection, String extension) {
		// Not relayed: a distribution pass asks it for each agent, and an unknown answer (the agent counts as
		// reachable) costs less than holding the pass up while another instance answers.
		try {
			return local.reachable(connection, extension);
		}
		catch (ConnectionServedElsewhere elsewhere) {
			return Optional.empty();
		}
	}

	@Override
	public void withdraw(ProviderConnection connection, CallId call, int offer) {
		relayed(connection, Operation.WITHDRAW, new Withdrawal(call, offer), () -> local.withdraw(connection, call, offer));
	}

	@Override
	public void release(ProviderConnection connection, CallId call, @Nullable String message) {
		relayed(connection, Operation.RELEASE, new Release(call, message), () -> local.release(connection, call, message));
	}

	@Override
	public void startRecording(ProviderConnection connection, CallId call) {
		relayed(connection, Operation.START_RECORDING, new CallArgument(call),
				() -> local.startRecording(connection, call));
	}

	@Override
	public void stopRecording(ProviderConnection connection, CallId call) {
		relayed(connection, Operation.STOP_RECORDING, new CallArgument(call),
				() -> local.stopRecording(connection, call));
	}

	@Override
	public void connectionChanged(ProviderConnection connection) {
		local.connectionChanged(connection);
	}

	@Override
	public void connectionRemoved(ProviderConnectionId id) {
		local.connectionRemoved(id);
	}
}

package io.voxdesk.calls.spi;

import java.util.Map;
import java.util.Optional;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.tenants.SecretPurpose;

import org.jspecify.annotations.Nullable;

/**
 * The SPI a connector implements for one kind of provider, as a Spring bean of its module. Voxdesk finds it by the
 * kind its {@link #description()} declares, controls calls through it, and hears back through {@link CallReports};
 * connections, secret decrypted, come from {@link ConnectionDirectory}. Implementations keep every provider quirk
 * inside themselves and must never put a secret into an exception message.
 */
public interface TelephonyConnector {

	/** The kind, settings and capabilities: constant for the connector's lifetime. */
	ConnectorDescription description();

	default ProviderKind kind() {
		return description().kind();
	}

	/**
	 * Checks what the declared settings cannot say (a relation between two settings, a provider's quirk), after
	 * Voxdesk has checked each setting against its declaration; names the first invalid setting.
	 *
	 * @throws IllegalArgumentException with a message naming the setting and what is wrong.
	 */
	default void validate(ProviderConnectionDraft draft) {
	}

	/**
	 * What the connection's secret is encrypted for: part of the ciphertext's associated data, so a changed purpose
	 * makes stored secrets unreadable. Defaults to {@code <kind>.<secret setting, kebab-case>}, e.g.
	 * {@code fakepbx.api-key}.
	 */
	default SecretPurpose secretPurpose() {
		var setting = description().secret().name().replaceAll("([a-z0-9])([A-Z])", "$1-$2");
		return SecretPurpose.of(kind().code() + "." + setting.toLowerCase(java.util.Locale.ROOT));
	}

	/**
	 * Where agents' webphones register when a tenant uses this connection, from its settings alone (the secret is not
	 * decrypted for this); empty when the settings do not say.
	 */
	default Optional<SipEndpoint> sipEndpoint(Map<String, String> settings) {
		return Optional.empty();
	}

	/** Tests the connection against the provider; never throws, and answers within a few seconds. */
	ConnectionCheck test(ProviderConnection connection);

	/**
	 * Starts a click-to-call; returns once the provider accepted it (the call goes on asynchronously).
	 *
	 * @return the provider's id for the call, when it gives one at once.
	 * @throws ProviderException when the provider refused or could not be reached.
	 */
	String originate(ProviderConnection connection, OutboundCall call);

	/**
	 * Ends the call on every leg still up.
	 *
	 * @throws ProviderException when the provider could not be reached.
	 */
	void hangUp(ProviderConnection connection, CallId call);

	/**
	 * Whether the provider still has the call, for the sweeper that settles records whose events never came; never
	 * throws.
	 */
	default CallPresence presence(ProviderConnection connection, CallId call) {
		return CallPresence.UNKNOWN;
	}

	default void hold(ProviderConnection connection, CallId call) {
		throw new ProviderException("Holding calls is not supported by " + kind().code());
	}

	default void resume(ProviderConnection connection, CallId call) {
		throw new ProviderException("Resuming calls is not supported by " + kind().code());
	}

	default void sendDtmf(ProviderConnection connection, CallId call, String digits) {
		throw new ProviderException("Sending DTMF is not supported by " + kind().code());
	}

	/**
	 * Starts a transfer inside the provider's own conversation: rings the target and, for an attended transfer,
	 * puts the customer on music on hold while the agent talks to the target. Returns once the provider accepted to
	 * ring the target. What comes of it is reported as facts about the {@link CallLeg#TARGET} leg, named with the
	 * request's attempt: {@code ANSWERED} when the target answers, {@code TRANSFERRED} once the customer is with the
	 * target (before the agent's leg is released: a blind transfer does this when the target answers), and
	 * {@code ENDED} when the target's leg ends. Until then the customer stays with the agent, and a target that is
	 * busy or does not answer leaves them together.
	 *
	 * @throws ProviderException when the provider refused to ring the target or could not be reached.
	 * @throws CallNotPossibleException when the provider cannot transfer calls (its description declares neither
	 *     {@link Capability#BLIND_TRANSFER} nor {@link Capability#ATTENDED_TRANSFER}).
	 */
	default void transfer(ProviderConnection connection, TransferRequest request) {
		throw notSupported("transfer calls");
	}

	/** Hands the customer to the answered target of an attended transfer, then releases the agent. */
	default void completeTransfer(ProviderConnection connection, TransferRequest request) {
		throw notSupported("transfer calls");
	}

	/** Hangs up the target of the transfer in progress and puts the agent back with the customer. */
	default void cancelTransfer(ProviderConnection connection, TransferRequest request) {
		throw notSupported("transfer calls");
	}

	/**
	 * Moves the customer of an answered call into a queue ({@link Capability#QUEUE_TRANSFER}): they wait there as
	 * the new inbound call {@code transfer.queued()} (its bridge, its music), and the agent's leg is hung up. Facts
	 * about the customer's line are reported for the queued call from now on, and its answer or end through
	 * {@link CallReports} as for any waiting caller.
	 *
	 * @return the provider's id of the customer's line, which names the queued call from now on.
	 * @throws ProviderException when the provider could not move the customer (they stay with the agent).
	 */
	default String transferToQueue(ProviderConnection connection, QueueTransfer transfer) {
		throw notSupported("transfer calls to a queue");
	}

	/**
	 * Rings one agent for a waiting inbound caller ({@link Capability#INBOUND}); the answer or the end of the agent's
	 * leg comes back through {@link CallReports#offerAnswered} and {@link CallReports#offerEnded}.
	 *
	 * @throws ProviderException if the provider refused to ring the agent.
	 */
	default void offer(ProviderConnection connection, AgentOffer offer) {
		throw notSupported("ring agents for inbound calls");
	}

	/**
	 * Whether the agent's extension can ring now, when the provider can tell (a phone registered or not); empty when
	 * it cannot, and then the agent counts as reachable.
	 */
	default Optional<Boolean> reachable(ProviderConnection connection, String extension) {
		return Optional.empty();
	}

	/** Stops ringing an agent whose offer Voxdesk withdrew (the caller went elsewhere); gone already is fine. */
	default void withdraw(ProviderConnection connection, CallId call, int offer) {
		throw notSupported("ring agents for inbound calls");
	}

	/**
	 * Lets a waiting inbound caller go unanswered (an overflow that hangs up): they hear {@code message}, a sound
	 * of the provider, then the call ends, and so do any offers still ringing.
	 */
	default void release(ProviderConnection connection, CallId call, @Nullable String message) {
		throw notSupported("queue inbound calls");
	}

	/** The 409 a connector answers for a control its provider does not have. */
	default CallNotPossibleException notSupported(String what) {
		return new CallNotPossibleException("Not supported by " + kind().code(),
				"Voxdesk cannot " + what + " on " + kind().code() + " connections: the provider's API has no way to.");
	}

	default void startRecording(ProviderConnection connection, CallId call) {
		throw new ProviderException("Recording on demand is not supported by " + kind().code());
	}

	default void stopRecording(ProviderConnection connection, CallId call) {
		throw new ProviderException("Recording on demand is not supported by " + kind().code());
	}

	/**
	 * The connection was created or changed (enabled, disabled, new settings or secret): connect, reconnect or let
	 * go accordingly. Called after the change is committed, in the connection's tenant scope.
	 */
	default void connectionChanged(ProviderConnection connection) {
	}

	/** The connection was deleted: let go of it. */
	default void connectionRemoved(ProviderConnectionId id) {
	}
}

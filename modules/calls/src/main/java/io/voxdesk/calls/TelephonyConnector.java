package io.voxdesk.calls;

/**
 * The SPI a connector implements for one kind of provider. Calls are controlled through it; what the provider
 * reports comes back through {@link CallManagement#apply(ProviderCallEvent)}. Implementations keep every
 * provider quirk inside themselves and must never put a secret into an exception message.
 */
public interface TelephonyConnector {

	ProviderKind kind();

	/**
	 * Checks settings a tenant admin entered before they are stored: names the first invalid one.
	 *
	 * @throws IllegalArgumentException with a message naming the setting and what is wrong.
	 */
	void validate(ProviderConnectionDraft draft);

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

	default void blindTransfer(ProviderConnection connection, CallId call, String destination) {
		throw new ProviderException("Transferring calls is not supported by " + kind().code());
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

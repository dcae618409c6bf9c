package io.voxdesk.calls.spi;

import java.util.UUID;

import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;

/**
 * Implemented by connectors that can place a voice campaign's calls (Asterisk: an originate into Stasis, then a
 * playback). Each call's end is reported through {@link BroadcastReports}, exactly once.
 */
public interface BroadcastDialer {

	/** The kind of connection this dialer places calls through. */
	ProviderKind kind();

	/**
	 * Places the call and returns at once.
	 *
	 * @throws io.voxdesk.calls.ProviderException if the provider refused it (disconnected, congested, a channel
	 *     limit): nothing was placed, and nothing will be reported for it.
	 */
	void place(BroadcastCall call);

	/**
	 * Whether this instance can place calls on the connection now (Asterisk: its event socket is connected here). A
	 * campaign on a connection that is not ready waits: no attempt is spent on a call that cannot be placed.
	 */
	boolean ready(ProviderConnectionId connection);

	/** Whether the provider still has the attempt's call; asked for attempts whose end was never reported. */
	BroadcastPresence presence(ProviderConnectionId connection, UUID attempt);
}

package io.voxdesk.calls.spi;

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
}

package io.voxdesk.calls.spi;

/** Whether the provider still has a campaign attempt's call, as a reconciliation after a restart asks. */
public enum BroadcastPresence {

	/** The call is up (ringing or playing): its end will still be reported. */
	LIVE,

	/** The provider has no such call: it ended while nobody listened, or was never placed. */
	GONE,

	/** The provider cannot be asked now (disconnected): ask again later. */
	UNKNOWN
}

package io.voxdesk.calls.spi;

/** How a campaign's attempt ended, as the provider told it. */
public enum BroadcastOutcome {

	/** Someone (or something) answered and heard the message. */
	ANSWERED,

	/** The line was busy (Q.850 17). */
	BUSY,

	/** Nobody answered before the ring time ran out (Q.850 18, 19). */
	NO_ANSWER,

	/** The call could not be made: the number, the trunk or the PBX refused it. */
	FAILED
}

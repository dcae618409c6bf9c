package io.voxdesk.calls.spi;

/** How a campaign's attempt ended, as the provider told it. */
public enum BroadcastOutcome {

	/** A person answered (or nobody could tell) and heard the message. */
	ANSWERED,

	/** An answering machine picked up and the call was hung up on it, as its campaign asked. */
	MACHINE,

	/** An answering machine picked up and the message was left on it after its greeting. */
	VOICEMAIL,

	/** The line was busy (Q.850 17). */
	BUSY,

	/** Nobody answered before the ring time ran out (Q.850 18, 19). */
	NO_ANSWER,

	/** The call could not be made: the number, the trunk or the PBX refused it. */
	FAILED
}

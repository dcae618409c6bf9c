package io.voxdesk.calls;

import java.util.Locale;

/** How an ended call turned out, whatever provider carried it. */
public enum CallOutcome {

	ANSWERED, BUSY, NO_ANSWER, FAILED, CANCELLED,

	/** An inbound caller hung up before an agent took the call. */
	ABANDONED,

	/** An inbound call to a number nobody routed, or one its connector could not read: refused at once. */
	NOT_CONFIGURED;

	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The status a call that ended this way is left in. */
	public CallStatus finalStatus() {
		return switch (this) {
			case ANSWERED -> CallStatus.COMPLETED;
			case BUSY -> CallStatus.BUSY;
			case NO_ANSWER -> CallStatus.NO_ANSWER;
			case FAILED, NOT_CONFIGURED -> CallStatus.FAILED;
			case ABANDONED -> CallStatus.MISSED;
			case CANCELLED -> CallStatus.CANCELLED;
		};
	}
}

package io.voxdesk.calls;

import java.util.Locale;

/** How an ended call turned out, whatever provider carried it. */
public enum CallOutcome {

	ANSWERED, BUSY, NO_ANSWER, FAILED, CANCELLED;

	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The status a call that ended this way is left in. */
	public CallStatus finalStatus() {
		return switch (this) {
			case ANSWERED -> CallStatus.COMPLETED;
			case BUSY -> CallStatus.BUSY;
			case NO_ANSWER -> CallStatus.NO_ANSWER;
			case FAILED -> CallStatus.FAILED;
			case CANCELLED -> CallStatus.CANCELLED;
		};
	}
}

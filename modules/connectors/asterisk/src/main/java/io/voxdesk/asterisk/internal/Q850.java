package io.voxdesk.asterisk.internal;

import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.HangupCause;

import org.jspecify.annotations.Nullable;

/**
 * Reads Asterisk's hangup causes (Q.850 numbers) and, where the cause says nothing, the last {@code Dial} status: a
 * Local channel's half that ran {@code Busy()} ends with cause 0 while its Dial status says BUSY.
 */
final class Q850 {

	private Q850() {
	}

	static HangupCause cause(@Nullable Integer code, @Nullable String text, @Nullable String dialStatus) {
		var outcome = outcome(code == null ? 0 : code);
		if (outcome == null || (code != null && code == 0)) {
			var fromDial = fromDialStatus(dialStatus);
			if (fromDial != null) {
				outcome = fromDial;
			}
		}
		return new HangupCause(code == null ? null : code.toString(), text, outcome);
	}

	/** The outcome a cause means for a leg nobody answered; {@literal null} for a normal clearing. */
	static @Nullable CallOutcome outcome(int code) {
		return switch (code) {
			case 16, 31 -> null;
			case 17, 21 -> CallOutcome.BUSY;
			case 18, 19, 20 -> CallOutcome.NO_ANSWER;
			default -> CallOutcome.FAILED;
		};
	}

	private static @Nullable CallOutcome fromDialStatus(@Nullable String status) {
		if (status == null) {
			return null;
		}
		return switch (status) {
			case "BUSY" -> CallOutcome.BUSY;
			case "NOANSWER" -> CallOutcome.NO_ANSWER;
			case "CONGESTION", "CHANUNAVAIL" -> CallOutcome.FAILED;
			case "CANCEL" -> CallOutcome.CANCELLED;
			default -> null;
		};
	}
}

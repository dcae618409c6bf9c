package io.voxdesk.calls;

import java.util.Locale;

/**
 * Where a call is in its life: {@code RINGING → ANSWERED ⇄ ON_HOLD → COMPLETED}, or one of the endings of a call
 * that was never answered; {@code MISSED} is an inbound call no agent took (its outcome says whether the caller
 * gave up or was let go unanswered).
 */
public enum CallStatus {

	RINGING, ANSWERED, ON_HOLD, COMPLETED, BUSY, NO_ANSWER, FAILED, CANCELLED, VOICEMAIL, TRANSFERRED, MISSED;

	public boolean isFinal() {
		return this != RINGING && this != ANSWERED && this != ON_HOLD;
	}

	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}
}

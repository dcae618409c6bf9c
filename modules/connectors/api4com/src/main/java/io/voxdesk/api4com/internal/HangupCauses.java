package io.voxdesk.api4com.internal;

import java.util.Locale;
import java.util.Map;

import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.HangupCause;

import org.jspecify.annotations.Nullable;

/**
 * Reads API4COM's hangup causes, which are FreeSWITCH's names ({@code hangupCause}) with their Q.850 number as
 * text ({@code hangupCauseCode}); {@code GET /calls} gives the name only, so the number is looked up.
 */
final class HangupCauses {

	private static final Map<String, String> CODES = Map.ofEntries(Map.entry("UNALLOCATED_NUMBER", "1"),
			Map.entry("NORMAL_CLEARING", "16"), Map.entry("USER_BUSY", "17"), Map.entry("NO_USER_RESPONSE", "18"),
			Map.entry("NO_ANSWER", "19"), Map.entry("CALL_REJECTED", "21"), Map.entry("NUMBER_CHANGED", "22"),
			Map.entry("INVALID_NUMBER_FORMAT", "28"), Map.entry("NORMAL_UNSPECIFIED", "31"),
			Map.entry("NORMAL_TEMPORARY_FAILURE", "41"), Map.entry("RECOVERY_ON_TIMER_EXPIRE", "102"),
			Map.entry("ORIGINATOR_CANCEL", "487"));

	private HangupCauses() {
	}

	static @Nullable HangupCause of(@Nullable String code, @Nullable String name) {
		var text = name == null || name.isBlank() ? null : name.strip().toUpperCase(Locale.ROOT);
		var number = code == null || code.isBlank() ? (text == null ? null : CODES.get(text)) : code.strip();
		if (text == null && number == null) {
			return null;
		}
		return new HangupCause(number, text, text == null ? null : outcome(text));
	}

	/** What a cause means for a call nobody answered; {@literal null} where only the facts can tell. */
	static @Nullable CallOutcome outcome(String name) {
		return switch (name) {
			// A normal clearing before any answer: the record decides from who hung up and whether the agent
			// cancelled, as for Asterisk's cause 16.
			case "NORMAL_CLEARING", "NORMAL_UNSPECIFIED" -> null;
			case "USER_BUSY", "CALL_REJECTED" -> CallOutcome.BUSY;
			// The customer's phone rang out (or never alerted): nobody answered, nobody gave up.
			case "NO_ANSWER", "NO_USER_RESPONSE" -> CallOutcome.NO_ANSWER;
			// FreeSWITCH's 487: the calling side (the agent, or API4COM's dialer for them) hung up while the
			// customer's phone was still ringing; that is giving up, not the customer not answering.
			case "ORIGINATOR_CANCEL" -> CallOutcome.CANCELLED;
			default -> CallOutcome.FAILED;
		};
	}
}

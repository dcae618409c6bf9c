package io.voxdesk.testing.arisim;

import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Q.850 hangup causes as Asterisk names them, and how they map to Dial statuses and ARI hangup reasons. */
final class Causes {

	static final int UNKNOWN = 0;

	static final int NORMAL_CLEARING = 16;

	static final int USER_BUSY = 17;

	static final int NO_ANSWER = 19;

	static final int CONGESTION = 34;

	/** The soft-hangup flag ARI's DELETE sets; it shows up as {@code cause} of a soft ChannelHangupRequest. */
	static final int SOFT_HANGUP_EXPLICIT = 32;

	private static final Map<Integer, String> TEXT = Map.ofEntries(Map.entry(0, "Unknown"),
			Map.entry(1, "Unallocated (unassigned) number"), Map.entry(2, "No route to specified transmit network"),
			Map.entry(3, "No route to destination"), Map.entry(6, "Channel unacceptable"),
			Map.entry(16, "Normal Clearing"), Map.entry(17, "User busy"), Map.entry(18, "No user responding"),
			Map.entry(19, "User alerting, no answer"), Map.entry(21, "Call Rejected"), Map.entry(22, "Number changed"),
			Map.entry(26, "Answered elsewhere"), Map.entry(27, "Destination out of order"),
			Map.entry(28, "Invalid number format"), Map.entry(29, "Facility rejected"),
			Map.entry(31, "Normal, unspecified"), Map.entry(34, "Circuit/channel congestion"),
			Map.entry(38, "Network out of order"), Map.entry(41, "Temporary failure"),
			Map.entry(42, "Switching equipment congestion"), Map.entry(58, "Bearer capability not available"),
			Map.entry(127, "Interworking, unspecified"));

	private static final Map<String, Integer> REASONS = Map.ofEntries(Map.entry("normal", 16),
			Map.entry("busy", 17), Map.entry("congestion", 34), Map.entry("no_answer", 19),
			Map.entry("timeout", 18), Map.entry("rejected", 21), Map.entry("unallocated", 1),
			Map.entry("normal_unspecified", 31), Map.entry("number_incomplete", 28),
			Map.entry("codec_mismatch", 58), Map.entry("interworking", 127), Map.entry("failure", 38),
			Map.entry("answered_elsewhere", 26));

	private Causes() {
	}

	static String text(int cause) {
		return TEXT.getOrDefault(cause, "Unknown");
	}

	/** The {@code Dial} status an unanswered call ends with when the far end hangs up with {@code cause}. */
	static String dialStatus(int cause) {
		return switch (cause) {
			case 17 -> "BUSY";
			case 34, 38, 41, 42, 44 -> "CONGESTION";
			case 16, 18, 19 -> "NOANSWER";
			default -> "CHANUNAVAIL";
		};
	}

	/** The cause for {@code DELETE /channels/{id}?reason=...}, or null when Asterisk rejects the reason. */
	static @Nullable Integer forReason(String reason) {
		return REASONS.get(reason.toLowerCase(Locale.ROOT));
	}
}

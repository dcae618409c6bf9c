package io.voxdesk.testing.arisim;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The dialplan the ARI fixtures were recorded with ({@code extensions.conf} of the recording), which
 * {@code Local/<exten>@<context>} channels execute.
 */
final class Dialplan {

	/** The variable naming the Stasis application of the {@code [inbound]} context. */
	static final String APP_VARIABLE = "ARISIM_APP";

	/** One priority: a dialplan application and its (unexpanded) argument. */
	record Step(String app, String data) {
	}

	/** Where a channel is in the dialplan: the steps of its extension and the index of the next one. */
	static final class Cursor {

		final String context;

		final String exten;

		final List<Step> steps;

		int next;

		Cursor(String context, String exten, List<Step> steps, int next) {
			this.context = context;
			this.exten = exten;
			this.steps = steps;
			this.next = next;
		}
	}

	private static final Map<String, List<Step>> SCENARIOS = Map.of(
			"answer", List.of(noOp("answer scenario"), step("Answer"), step("Wait", "2"), step("Hangup")),
			"dtmf", List.of(noOp("dtmf scenario"), step("Answer"), step("Wait", "3"), step("SendDTMF", "1"),
					step("Wait", "10"), step("Hangup")),
			"busy", List.of(noOp("busy scenario"), step("Busy")),
			"congestion", List.of(noOp("congestion scenario"), step("Congestion")),
			"hangup17", List.of(noOp("reject with cause 17 user busy"), step("Hangup", "17")),
			"hangup34", List.of(noOp("reject with cause 34 congestion"), step("Hangup", "34")),
			"noanswer", List.of(noOp("noanswer scenario"), step("Ringing"), step("Wait", "60"), step("Hangup")),
			"slowanswer", List.of(noOp("slowanswer scenario"), step("Ringing"), step("Wait", "3"), step("Answer"),
					step("Wait", "2"), step("Hangup")),
			"talk", List.of(noOp("talk scenario"), step("Answer"), step("Playback", "hello-world"),
					step("Wait", "30"), step("Hangup")),
			"agent", List.of(noOp("agent leg"), step("Answer"), step("Wait", "60"), step("Hangup")));

	private static final List<Step> INBOUND = List.of(noOp("inbound call from ${CALLERID(all)} to ${EXTEN}"),
			step("Stasis", "${" + APP_VARIABLE + "},inbound,${EXTEN}"), step("Hangup"));

	/**
	 * Not from the recording (its PBX had no phones): the context an extension's phone dials into, which sends its
	 * calls to Voxdesk as docs/asterisk.md tells a PBX administrator to.
	 */
	private static final List<Step> AGENT_OUTBOUND = List.of(noOp("outbound call from ${CALLERID(num)} to ${EXTEN}"),
			step("Stasis", "${" + APP_VARIABLE + "},outbound,${EXTEN}"), step("Hangup"));

	private static final List<Step> CALLER = List.of(noOp("simulated external caller"), step("Wait", "60"),
			step("Hangup"));

	private Dialplan() {
	}

	/** The steps of an extension, or null when the context or extension does not exist. */
	static @Nullable List<Step> lookup(String context, String exten) {
		return switch (context) {
			case "scenarios" -> SCENARIOS.get(exten);
			// [inbound] matches _X. : at least two characters, all digits.
			case "inbound" -> exten.length() >= 2 && exten.chars().allMatch(Character::isDigit) ? INBOUND : null;
			case "caller" -> "wait".equals(exten) ? CALLER : null;
			case "agents" -> exten.length() >= 2 && exten.chars().allMatch(Character::isDigit) ? AGENT_OUTBOUND : null;
			default -> null;
		};
	}

	/** Substitutes the {@code ${...}} expressions the recorded dialplan uses. */
	static String expand(String data, Function<String, String> variables) {
		StringBuilder expanded = new StringBuilder();
		int at = 0;
		while (at < data.length()) {
			int start = data.indexOf("${", at);
			int end = start < 0 ? -1 : data.indexOf('}', start);
			if (end < 0) {
				expanded.append(data, at, data.length());
				break;
			}
			expanded.append(data, at, start).append(variables.apply(data.substring(start + 2, end)));
			at = end + 1;
		}
		return expanded.toString();
	}

	private static Step noOp(String text) {
		return new Step("NoOp", text);
	}

	private static Step step(String app) {
		return new Step(app, "");
	}

	private static Step step(String app, String data) {
		return new Step(app, data);
	}
}

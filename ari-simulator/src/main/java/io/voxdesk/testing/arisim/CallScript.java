package io.voxdesk.testing.arisim;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How the far end of a dialled PJSIP/SIP/IAX2 number behaves: answers (and maybe hangs up or sends DTMF later),
 * is busy, congested, never answers, or cannot be reached at all.
 *
 * @param ringing how long the far end rings before answering ({@link Outcome#ANSWER} only)
 * @param talk after answering, how long until the far end hangs up (cause 16); {@code null} stays up
 * @param dtmf digits the far end sends after answering; {@code null} sends none
 * @param dtmfAfter delay between answer and the first digit
 * @param greeting how long the far end speaks right after answering (a person's "Alô?" is short, an answering
 *     machine's greeting long); heard only by talk detection ({@code TALK_DETECT(set)}), as
 *     {@code ChannelTalkingStarted}/{@code ChannelTalkingFinished}; {@code null} stays silent
 */
public record CallScript(Outcome outcome, Duration ringing, @Nullable Duration talk, @Nullable String dtmf,
		@Nullable Duration dtmfAfter, @Nullable Duration greeting) {

	/** What finally happens to the call. */
	public enum Outcome {
		/** The far end rings, then answers. */
		ANSWER,
		/** The far end rejects with 486 Busy Here: {@code Dial} BUSY, cause 17. */
		BUSY,
		/** The trunk rejects with 503: {@code Dial} CONGESTION, cause 34. */
		CONGESTION,
		/** The far end rings until the originate timeout: cause 19. */
		NO_ANSWER,
		/** The channel cannot even be created: originate answers 500 {@code Allocation failed}. */
		UNAVAILABLE
	}

	public CallScript {
		Objects.requireNonNull(outcome, "outcome");
		requireNotNegative(ringing, "ringing");
		if (talk != null) {
			requireNotNegative(talk, "talk");
		}
		if ((dtmf == null) != (dtmfAfter == null)) {
			throw new IllegalArgumentException("dtmf and dtmfAfter go together");
		}
		if (dtmf != null) {
			requireNotNegative(dtmfAfter, "dtmfAfter");
			if (dtmf.isEmpty() || !dtmf.chars().allMatch(CallScript::isDtmfDigit)) {
				throw new IllegalArgumentException("DTMF digits must be 0-9, *, #, A-D: '" + dtmf + "'");
			}
		}
		if (greeting != null) {
			requireNotNegative(greeting, "greeting");
		}
		if (outcome != Outcome.ANSWER && (talk != null || dtmf != null || greeting != null)) {
			throw new IllegalArgumentException("only an answered call can hang up later, speak or send DTMF");
		}
	}

	/** Rings for {@code ringing}, then answers and stays up until someone hangs up. */
	public static CallScript answerAfter(Duration ringing) {
		return new CallScript(Outcome.ANSWER, ringing, null, null, null, null);
	}

	/** Busy, like a trunk's 486: {@code Dial} BUSY, {@code ChannelDestroyed} cause 17 "User busy". */
	public static CallScript busy() {
		return new CallScript(Outcome.BUSY, Duration.ZERO, null, null, null, null);
	}

	/** Congestion, like a trunk's 503: {@code Dial} CONGESTION, cause 34. */
	public static CallScript congestion() {
		return new CallScript(Outcome.CONGESTION, Duration.ZERO, null, null, null, null);
	}

	/** Rings until the originate {@code timeout} (seconds, default 30), then ends with cause 19. */
	public static CallScript noAnswer() {
		return new CallScript(Outcome.NO_ANSWER, Duration.ZERO, null, null, null, null);
	}

	/** The originate itself fails with 500 {@code {"error":"Allocation failed"}}, like an unknown endpoint. */
	public static CallScript unavailable() {
		return new CallScript(Outcome.UNAVAILABLE, Duration.ZERO, null, null, null, null);
	}

	/** The same call, but the far end hangs up (cause 16) {@code talk} after answering. */
	public CallScript thenHangUpAfter(Duration talkTime) {
		return new CallScript(outcome, ringing, talkTime, dtmf, dtmfAfter, greeting);
	}

	/** The same call, but the far end sends {@code digits} starting {@code after} the answer. */
	public CallScript thenDtmf(String digits, Duration after) {
		return new CallScript(outcome, ringing, talk, digits, after, greeting);
	}

	/**
	 * The same call, but the far end speaks for {@code speech} as soon as it answers: about a second for a person
	 * ("Alô?"), several for an answering machine's greeting.
	 */
	public CallScript thenSays(Duration speech) {
		return new CallScript(outcome, ringing, talk, dtmf, dtmfAfter, speech);
	}

	private static boolean isDtmfDigit(int c) {
		return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
	}

	private static void requireNotNegative(@Nullable Duration duration, String name) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException(name + " must be zero or positive");
		}
	}
}

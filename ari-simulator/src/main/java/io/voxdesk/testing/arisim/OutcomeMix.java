package io.voxdesk.testing.arisim;

import java.time.Duration;

/**
 * How the numbers under a prefix behave, by share: {@code answer} percent answer after {@code ringing} and say
 * "Alô?" (under a second of speech), {@code machine} percent answer the same way with an answering machine's
 * greeting (four and a half seconds of speech, heard through talk detection), each after {@code ringing} and up to
 * {@code ringingSpread} more (decided by the number), and the
 * rest are busy, ring unanswered until the originate's timeout, or fail (congestion). Which number does what is
 * decided by the number itself, so a campaign retried or run twice meets the same behaviour.
 */
public record OutcomeMix(int answer, int noAnswer, int busy, int machine, int fail, Duration ringing,
		Duration ringingSpread) {

	/** A mix whose answering numbers all ring for {@code ringing}. */
	public OutcomeMix(int answer, int noAnswer, int busy, int machine, int fail, Duration ringing) {
		this(answer, noAnswer, busy, machine, fail, ringing, Duration.ZERO);
	}

	/** A person answering says "Alô?" and waits. */
	static final Duration PERSON = Duration.ofMillis(900);

	/** A voicemail greeting: "You have reached ..., leave your message after the tone". */
	static final Duration MACHINE = Duration.ofMillis(4500);

	public OutcomeMix {
		if (answer < 0 || noAnswer < 0 || busy < 0 || machine < 0 || fail < 0
				|| answer + noAnswer + busy + machine + fail != 100) {
			throw new IllegalArgumentException("the shares must be 0 or more and add up to 100");
		}
		if (ringing.isNegative() || ringingSpread.isNegative()) {
			throw new IllegalArgumentException("ringing cannot be negative");
		}
	}

	/** The script of one number: its bucket (0-99) is a hash of the number, the same every time. */
	CallScript scriptFor(String number) {
		var hash = mixed(number);
		var bucket = Math.floorMod(hash, 100);
		// People take their time to pick up: up to ringingSpread more, the same for a number every time.
		var rings = ringingSpread.isZero() ? ringing
				: ringing.plusMillis(Math.floorMod(hash / 100, ringingSpread.toMillis() + 1));
		if (bucket < answer) {
			return CallScript.answerAfter(rings).thenSays(PERSON);
		}
		bucket -= answer;
		if (bucket < machine) {
			return CallScript.answerAfter(rings).thenSays(MACHINE);
		}
		bucket -= machine;
		if (bucket < noAnswer) {
			return CallScript.noAnswer();
		}
		bucket -= noAnswer;
		return bucket < busy ? CallScript.busy() : CallScript.congestion();
	}

	/** A well-spread hash: consecutive numbers (a campaign's usual list) land in different buckets. */
	private static int mixed(String number) {
		long h = 0x9E3779B97F4A7C15L;
		for (int i = 0; i < number.length(); i++) {
			h ^= number.charAt(i);
			h *= 0xBF58476D1CE4E5B9L;
			h ^= h >>> 31;
		}
		return (int) (h ^ (h >>> 32));
	}
}

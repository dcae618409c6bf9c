package io.voxdesk.campaigns;

/** A campaign's retry rule for each outcome that may be tried again. */
public record Retries(RetryRule busy, RetryRule noAnswer, RetryRule failed, RetryRule machine) {

	/** Busy: 3 attempts 10 minutes apart; no answer: 3, 30 minutes apart; failed: 2, an hour apart; machine: 2, 2 h. */
	public static Retries defaults() {
		return new Retries(new RetryRule(3, 10), new RetryRule(3, 30), new RetryRule(2, 60), new RetryRule(2, 120));
	}
}

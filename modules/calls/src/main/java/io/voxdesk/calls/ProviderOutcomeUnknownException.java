package io.voxdesk.calls;

/**
 * A request reached the provider's side but its answer never came back (the instance carrying it out died, the
 * connection broke): the provider may or may not have done it. Whoever catches it must not record an outcome; the
 * call's record is settled from what the provider reports later, or by the sweeper.
 */
public class ProviderOutcomeUnknownException extends ProviderException {

	public ProviderOutcomeUnknownException(String message) {
		super(message);
	}
}

package io.voxdesk.tenants;

/**
 * Who performed an action: the identity provider's subject and the username shown to operators.
 *
 * @param subject the stable {@code sub} claim of the actor's token, or {@code system} for Voxdesk itself.
 * @param username the actor's login name at the time of the action.
 */
public record Actor(String subject, String username) {

	/** Voxdesk itself, for actions no person started (start-up jobs, sweepers). */
	public static final Actor SYSTEM = new Actor("system", "system");
}

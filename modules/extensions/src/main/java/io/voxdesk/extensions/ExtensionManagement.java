package io.voxdesk.extensions;

import java.util.List;
import java.util.Optional;

import io.voxdesk.tenants.UserId;

/**
 * The current tenant's personal extensions: each user saves and reads their own, tenant admins list them, and
 * click-to-call asks for the line to ring. Nothing here returns a password: only the owner's own webphone
 * settings carry it, and those are served by this module's REST API alone.
 */
public interface ExtensionManagement {

	/** The user's active extension, which click-to-call rings first; empty when none or inactive. */
	Optional<AgentLine> activeLineOf(UserId user);

	/** The user's own extension, without its password. */
	Optional<ExtensionDetails> find(UserId owner);

	/**
	 * Creates or replaces the user's extension; a draft without a password keeps the stored one, and a missing
	 * domain or WebSocket server takes the tenant's default. Publishes an {@link ExtensionChanged} per change.
	 *
	 * @throws ExtensionTakenException if another user of the tenant has the extension number.
	 * @throws org.springframework.web.ErrorResponseException (400) naming the field, if a value is invalid.
	 */
	ExtensionDetails save(UserId owner, ExtensionDraft draft);

	/** The user who has the extension number in the tenant, if anyone does (active or not). */
	Optional<UserId> ownerOf(String extension);

	/** Every user's extension of the tenant, by extension number, for tenant admins. */
	List<ExtensionSummary> list();

	/** The SIP server the tenant's enabled provider connection suggests, if any. */
	Optional<SipServer> defaults();
}

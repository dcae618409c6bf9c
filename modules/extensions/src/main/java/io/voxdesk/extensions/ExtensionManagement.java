package io.voxdesk.extensions;

import java.util.List;
import java.util.Optional;

import io.voxdesk.extensions.internal.ExtensionWorkflow;
import io.voxdesk.tenants.UserId;

import org.springframework.stereotype.Service;

/**
 * The current tenant's personal extensions: each user saves and reads their own, tenant admins list them, and
 * click-to-call asks for the line to ring. Nothing here returns a password: only the owner's own webphone
 * settings carry it, and those are served by this module's REST API alone.
 */
@Service
public class ExtensionManagement {

	private final ExtensionWorkflow workflow;

	ExtensionManagement(ExtensionWorkflow workflow) {
		this.workflow = workflow;
	}

	/** The user's active extension, which click-to-call rings first; empty when none or inactive. */
	public Optional<AgentLine> activeLineOf(UserId user) {
		return workflow.activeLineOf(user);
	}

	/** The user's own extension, without its password. */
	public Optional<ExtensionDetails> find(UserId owner) {
		return workflow.find(owner);
	}

	/**
	 * Creates or replaces the user's extension; a draft without a password keeps the stored one, and a missing
	 * domain or WebSocket server takes the tenant's default. Publishes an {@link ExtensionChanged} per change.
	 *
	 * @throws ExtensionTakenException if another user of the tenant has the extension number.
	 * @throws org.springframework.web.ErrorResponseException (400) naming the field, if a value is invalid.
	 */
	public ExtensionDetails save(UserId owner, ExtensionDraft draft) {
		return workflow.save(owner, draft);
	}

	/** Every user's extension of the tenant, by extension number, for tenant admins. */
	public List<ExtensionSummary> list() {
		return workflow.list();
	}

	/** The SIP server the tenant's enabled provider connection suggests, if any. */
	public Optional<SipServer> defaults() {
		return workflow.defaults();
	}
}

package io.voxdesk.extensions.internal;

import java.util.List;
import java.util.Optional;

import io.voxdesk.extensions.AgentLine;
import io.voxdesk.extensions.ExtensionDetails;
import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.extensions.ExtensionSummary;
import io.voxdesk.extensions.SipServer;
import io.voxdesk.tenants.UserId;

import org.springframework.stereotype.Service;

/** The {@link ExtensionManagement} of this module, which the root package only declares. */
@Service
class DefaultExtensionManagement implements ExtensionManagement {

	private final ExtensionWorkflow workflow;

	DefaultExtensionManagement(ExtensionWorkflow workflow) {
		this.workflow = workflow;
	}

	@Override
	public Optional<AgentLine> activeLineOf(UserId user) {
		return workflow.activeLineOf(user);
	}

	@Override
	public Optional<ExtensionDetails> find(UserId owner) {
		return workflow.find(owner);
	}

	@Override
	public ExtensionDetails save(UserId owner, ExtensionDraft draft) {
		return workflow.save(owner, draft);
	}

	@Override
	public Optional<UserId> ownerOf(String extension) {
		return workflow.ownerOf(extension);
	}

	@Override
	public List<ExtensionSummary> list() {
		return workflow.list();
	}

	@Override
	public Optional<SipServer> defaults() {
		return workflow.defaults();
	}
}

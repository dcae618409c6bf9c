package io.voxdesk.calls.internal;

import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectorDescription;

import org.springframework.stereotype.Service;

/** The {@link ProviderConnectionManagement} of this module, which the root package only declares. */
@Service
class DefaultProviderConnectionManagement implements ProviderConnectionManagement {

	private final ProviderConnectionWorkflow workflow;

	DefaultProviderConnectionManagement(ProviderConnectionWorkflow workflow) {
		this.workflow = workflow;
	}

	@Override
	public List<ConnectorDescription> kinds() {
		return workflow.kinds();
	}

	@Override
	public List<ProviderConnectionDetails> list() {
		return workflow.list();
	}

	@Override
	public Optional<ProviderConnectionDetails> find(ProviderConnectionId id) {
		return workflow.find(id);
	}

	@Override
	public ProviderConnectionDetails create(ProviderConnectionDraft draft) {
		return workflow.create(draft);
	}

	@Override
	public ProviderConnectionDetails update(ProviderConnectionId id, ProviderConnectionDraft draft) {
		return workflow.update(id, draft);
	}

	@Override
	public void delete(ProviderConnectionId id) {
		workflow.delete(id);
	}

	@Override
	public ConnectionCheck test(ProviderConnectionId id) {
		return workflow.test(id);
	}
}

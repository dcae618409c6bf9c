package io.voxdesk.calls;

import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.internal.ProviderConnectionWorkflow;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectorDescription;

import org.springframework.stereotype.Service;

/**
 * The current tenant's provider connections: tenant admins manage and test them. Connectors read them, secret
 * decrypted, through {@link io.voxdesk.calls.spi.ConnectionDirectory}.
 */
@Service
public class ProviderConnectionManagement {

	private final ProviderConnectionWorkflow workflow;

	ProviderConnectionManagement(ProviderConnectionWorkflow workflow) {
		this.workflow = workflow;
	}

	/** What each installed connector declares: its kind, settings (secret included) and capabilities. */
	public List<ConnectorDescription> kinds() {
		return workflow.kinds();
	}

	public List<ProviderConnectionDetails> list() {
		return workflow.list();
	}

	public Optional<ProviderConnectionDetails> find(ProviderConnectionId id) {
		return workflow.find(id);
	}

	/**
	 * @throws CallNotPossibleException if it is enabled while another connection is.
	 */
	public ProviderConnectionDetails create(ProviderConnectionDraft draft) {
		return workflow.create(draft);
	}

	/** Changes a connection; a draft without a secret keeps the stored one. */
	public ProviderConnectionDetails update(ProviderConnectionId id, ProviderConnectionDraft draft) {
		return workflow.update(id, draft);
	}

	public void delete(ProviderConnectionId id) {
		workflow.delete(id);
	}

	/** Tests the stored connection against its provider, within a few seconds. */
	public ConnectionCheck test(ProviderConnectionId id) {
		return workflow.test(id);
	}
}

package io.voxdesk.calls;

import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.internal.ProviderConnectionWorkflow;

import org.springframework.stereotype.Service;

/**
 * The current tenant's provider connections: tenant admins manage and test them; connectors read them, secret
 * included, to reach the provider.
 */
@Service
public class ProviderConnectionManagement {

	private final ProviderConnectionWorkflow workflow;

	ProviderConnectionManagement(ProviderConnectionWorkflow workflow) {
		this.workflow = workflow;
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

	/** The connection with its secret, for connectors only. */
	public Optional<ProviderConnection> connection(ProviderConnectionId id) {
		return workflow.connection(id);
	}

	/** Every tenant's enabled connection of a kind, for a connector starting up. */
	public List<ProviderConnection> enabledConnections(ProviderKind kind) {
		return workflow.enabledConnections(kind);
	}
}

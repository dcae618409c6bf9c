package io.voxdesk.calls;

import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectorDescription;

/**
 * The current tenant's provider connections: tenant admins manage and test them. Connectors read them, secret
 * decrypted, through {@link io.voxdesk.calls.spi.ConnectionDirectory}.
 */
public interface ProviderConnectionManagement {

	/** What each installed connector declares: its kind, settings (secret included) and capabilities. */
	List<ConnectorDescription> kinds();

	List<ProviderConnectionDetails> list();

	Optional<ProviderConnectionDetails> find(ProviderConnectionId id);

	/**
	 * @throws CallNotPossibleException if it is enabled while another connection is.
	 */
	ProviderConnectionDetails create(ProviderConnectionDraft draft);

	/** Changes a connection; a draft without a secret keeps the stored one. */
	ProviderConnectionDetails update(ProviderConnectionId id, ProviderConnectionDraft draft);

	void delete(ProviderConnectionId id);

	/** Tests the stored connection against its provider, within a few seconds. */
	ConnectionCheck test(ProviderConnectionId id);
}

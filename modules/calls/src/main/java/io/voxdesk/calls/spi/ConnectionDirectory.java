package io.voxdesk.calls.spi;

import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;

/** The port through which connectors read the connections they serve, secret decrypted; never for clients. */
public interface ConnectionDirectory {

	/** The current tenant's connection. */
	Optional<ProviderConnection> connection(ProviderConnectionId id);

	/** Every tenant's enabled connection of a kind, for a connector starting up. */
	List<ProviderConnection> enabledConnections(ProviderKind kind);
}

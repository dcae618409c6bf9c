package io.voxdesk.calls.internal;

import java.util.Optional;

import io.voxdesk.extensions.SipDefaults;
import io.voxdesk.extensions.SipServer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Suggests the SIP server of the tenant's enabled provider connection to the extensions module, as that connection's
 * connector derives it from the settings alone (the secret is not decrypted for this).
 */
@Component
class ProviderSipDefaults implements SipDefaults {

	private final ProviderConnections connections;

	private final Connectors connectors;

	ProviderSipDefaults(ProviderConnections connections, Connectors connectors) {
		this.connections = connections;
		this.connectors = connectors;
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<SipServer> defaultsForCurrentTenant() {
		return connections.findEnabled()
			.flatMap(connection -> connectors.find(connection.kind())
				.flatMap(connector -> connector.sipEndpoint(connection.settings()))
				.map(endpoint -> new SipServer(endpoint.domain(), endpoint.webSocketUrl(), connection.kind().code())));
	}
}

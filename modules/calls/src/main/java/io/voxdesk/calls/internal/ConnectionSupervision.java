package io.voxdesk.calls.internal;

import io.voxdesk.calls.ProviderConnectionChanged;
import io.voxdesk.tenants.TenantContext;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Tells the connector of a connection that it changed, so it connects, reconnects with new settings or lets go. */
@Component
class ConnectionSupervision {

	private final ProviderConnectionWorkflow connections;

	private final Connectors connectors;

	private final TenantContext context;

	ConnectionSupervision(ProviderConnectionWorkflow connections, Connectors connectors, TenantContext context) {
		this.connections = connections;
		this.connectors = connectors;
		this.context = context;
	}

	@ApplicationModuleListener
	void on(ProviderConnectionChanged event) {
		connectors.find(event.kind()).ifPresent(connector -> context.runAs(event.tenantId(), () -> connections
			.connection(event.connectionId())
			.ifPresentOrElse(connection -> connector.connectionChanged(connection),
					() -> connector.connectionRemoved(event.connectionId()))));
	}
}

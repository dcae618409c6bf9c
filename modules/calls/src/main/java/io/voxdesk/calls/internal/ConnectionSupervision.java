package io.voxdesk.calls.internal;

import io.voxdesk.calls.ProviderConnectionChanged;
import io.voxdesk.tenants.TenantContext;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** Tells the connector of a connection that it changed, so it connects, reconnects with new settings or lets go. */
// Not @ApplicationModuleListener: its transaction would hold a connection while TenantContext opens the
// tenant's own, two connections per event, which under load starves the pool. The event registry still tracks
// these transactional listeners and republishes what they did not finish.
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

	@Async
	@TransactionalEventListener
	void on(ProviderConnectionChanged event) {
		connectors.find(event.kind()).ifPresent(connector -> context.runAs(event.tenantId(), () -> connections
			.connection(event.connectionId())
			.ifPresentOrElse(connection -> connector.connectionChanged(connection),
					() -> connector.connectionRemoved(event.connectionId()))));
	}
}

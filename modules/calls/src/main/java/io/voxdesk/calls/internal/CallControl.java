package io.voxdesk.calls.internal;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.ProviderConnection;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.TelephonyConnector;
import io.voxdesk.tickets.Viewer;

import org.springframework.stereotype.Service;

/**
 * Controls calls through their provider. Network calls to providers run outside any database transaction, so a
 * slow provider never holds row locks or connections.
 */
@Service
public class CallControl {

	private final CallWorkflow workflow;

	private final ProviderConnectionWorkflow connections;

	private final Connectors connectors;

	CallControl(CallWorkflow workflow, ProviderConnectionWorkflow connections, Connectors connectors) {
		this.workflow = workflow;
		this.connections = connections;
		this.connectors = connectors;
	}

	public CallDetails hangUp(CallId id, Viewer viewer) {
		var call = workflow.requestHangUp(id, viewer);
		var connection = connectionOf(id);
		connector(connection).hangUp(connection, id);
		return call;
	}

	ProviderConnection connectionOf(CallId id) {
		var connectionId = workflow.connectionOf(id)
			.orElseThrow(() -> new IllegalStateException("Call " + id + " vanished"));
		return connections.connection(connectionId)
			.orElseThrow(() -> new CallNotPossibleException("Provider connection removed",
					"The provider connection that carried call " + id + " has been deleted."));
	}

	TelephonyConnector connector(ProviderConnection connection) {
		return connectors.find(connection.kind())
			.orElseThrow(() -> new ProviderException("No " + connection.kind().code() + " connector is installed"));
	}
}

package io.voxdesk.calls.internal;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.spi.ConnectorDescription;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST API of the installed connectors' declarations, which the provider settings form is rendered from. */
@RestController
@PreAuthorize("hasRole('tenant-admin')")
class ProviderKindController {

	private final ProviderConnectionManagement connections;

	ProviderKindController(ProviderConnectionManagement connections) {
		this.connections = connections;
	}

	@Operation(summary = "Lists the provider kinds this Voxdesk can connect: settings (secret included), capabilities")
	@GetMapping("/api/provider-kinds")
	List<ConnectorDescription> kinds() {
		return connections.kinds();
	}
}

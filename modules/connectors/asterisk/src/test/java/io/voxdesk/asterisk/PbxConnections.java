package io.voxdesk.asterisk;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;

/** A tenant's enabled Asterisk connection to the test's simulator, connected once "Test connection" passes. */
final class PbxConnections {

	private PbxConnections() {
	}

	/** The connection, its Stasis application {@code voxdesk-<tenant>}, agents dialled as {@code PJSIP/<extension>}. */
	static ProviderConnectionDetails connect(ProviderConnectionManagement connections, TenantContext context,
			TenantId tenant, AriSimulator pbx) {
		var defaults = AriSimulatorSettings.defaults();
		var created = context.callAs(tenant, () -> connections.create(new ProviderConnectionDraft(
				ProviderKind.of("asterisk"), "PBX", true,
				Map.of("baseUrl", pbx.baseUrl().toString(), "username", defaults.username(), "application",
						application(tenant), "agentEndpoint", "PJSIP/{extension}", "outboundEndpoint",
						"PJSIP/{number}@trunk"),
				defaults.password())));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> context.callAs(tenant, () -> connections.test(created.id())).ok());
		return created;
	}

	static String application(TenantId tenant) {
		return "voxdesk-" + tenant.value();
	}
}

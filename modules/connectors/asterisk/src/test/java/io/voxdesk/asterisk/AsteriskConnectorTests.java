package io.voxdesk.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

/**
 * The Asterisk connector inside the application, against the ARI simulator: a saved connection opens its ARI
 * session, and a click-to-call goes agent first, then customer, and ends with the customer's cause.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class AsteriskConnectorTests {

	@Autowired
	ProviderConnectionManagement connections;

	@Autowired
	CallManagement calls;

	@Autowired
	TenantManagement tenants;

	@Autowired
	ExtensionManagement extensions;

	@Autowired
	TenantContext context;

	AriSimulator pbx;

	TenantId tenant;

	UserId agent = UserId.of(UUID.randomUUID().toString());

	@BeforeEach
	void pbxAndTenant() {
		pbx = AriSimulator.start(AriSimulatorSettings.defaults());
		tenant = new TestTenants(tenants, context).create("a", "Asterisk");
		context.runAs(tenant, () -> extensions.save(agent, ExtensionDraft.of("1001", true)));
	}

	@AfterEach
	void stopPbx() {
		pbx.close();
	}

	@Test
	void aSavedConnectionConnectsAndABusyCustomerEndsTheCallAsBusy(Scenario scenario) {
		PbxConnections.connect(connections, context, tenant, pbx);
		pbx.script("1001", CallScript.answerAfter(Duration.ofMillis(50)));
		pbx.script("554833328530", CallScript.busy());

		scenario.stimulate(() -> context.callAs(tenant,
				() -> calls.clickToCall("(48) 3332-8530", null, null, agent, "Ana", CurrentUser.agent(agent))))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.tenantId().equals(tenant))
			.toArriveAndVerify((ended, call) -> {
				assertThat(ended.callId()).isEqualTo(call.id());
				assertThat(ended.status()).isEqualTo(CallStatus.BUSY);
				assertThat(ended.outcome()).isEqualTo(CallOutcome.BUSY);
				assertThat(ended.hangupCause()).isEqualTo("17 User busy");
			});
		assertThat(pbx.dialled()).containsExactly("PJSIP/1001", "PJSIP/554833328530@trunk");
		await().untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}
}

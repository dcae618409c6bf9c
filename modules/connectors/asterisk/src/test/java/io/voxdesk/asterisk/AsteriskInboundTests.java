package io.voxdesk.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.InboundNumberDraft;
import io.voxdesk.calls.InboundNumberManagement;
import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.tickets.QueueManagement;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

/**
 * Calls that reach a tenant's Asterisk and enter Voxdesk's Stasis application with
 * {@code Stasis(<app>,inbound,${EXTEN})}, against the ARI simulator: every one leaves a call record; one Voxdesk
 * cannot route (a number nobody routed, arguments it does not know) is refused as an unallocated number and never
 * left in Stasis.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class AsteriskInboundTests {

	@Autowired
	ProviderConnectionManagement connections;

	@Autowired
	InboundNumberManagement numbers;

	@Autowired
	QueueManagement queues;

	@Autowired
	CallManagement calls;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	AriSimulator pbx;

	TenantId tenant;

	String application;

	ProviderConnectionDetails connection;

	final UserId admin = UserId.of(UUID.randomUUID().toString());

	/** Numbers are unique across tenants and runs share the database: each test has a number of its own. */
	String did;

	@BeforeEach
	void pbxAndTenant() {
		did = "4833" + (100000 + ThreadLocalRandom.current().nextInt(900000));
		pbx = AriSimulator.start(AriSimulatorSettings.defaults());
		tenant = new TestTenants(tenants, context).create("in", "Inbound");
		application = "voxdesk-" + tenant.value();
		var defaults = AriSimulatorSettings.defaults();
		connection = context.callAs(tenant, () -> connections.create(new ProviderConnectionDraft(
				ProviderKind.of("asterisk"), "PBX", true,
				Map.of("baseUrl", pbx.baseUrl().toString(), "username", defaults.username(), "application", application,
						"agentEndpoint", "PJSIP/{extension}", "outboundEndpoint", "PJSIP/{number}@trunk"),
				defaults.password())));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> context.callAs(tenant, () -> connections.test(connection.id())).ok());
	}

	@AfterEach
	void stopPbx() {
		pbx.close();
	}

	CallDetails record(CallEnded ended) {
		return context.callAs(tenant, () -> calls.find(ended.callId(), CurrentUser.admin(admin))).orElseThrow();
	}

	@Test
	void aCallToANumberNobodyRoutedIsRefusedAsNotConfiguredAndLeavesARecordThatSaysWhy(Scenario scenario) {
		scenario.stimulate(() -> pbx.callIn(application, did, "Alice Caller", "48999990000"))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.tenantId().equals(tenant))
			.toArriveAndVerify(ended -> {
				assertThat(ended.status()).isEqualTo(CallStatus.FAILED);
				assertThat(ended.outcome()).isEqualTo(CallOutcome.NOT_CONFIGURED);
				var call = record(ended);
				assertThat(call.direction()).isEqualTo("inbound");
				assertThat(call.agent()).isNull();
				assertThat(call.number()).isEqualTo("+5548999990000");
				assertThat(call.callerName()).isEqualTo("Alice Caller");
				assertThat(call.dialled()).isEqualTo("+55" + did);
				assertThat(call.failureReason()).contains("nobody routed +55" + did);
			});
		// Hung up as an unallocated number, not left ringing in Stasis.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	@Test
	void aChannelEnteringTheApplicationWithArgumentsVoxdeskDoesNotKnowIsRefusedToo(Scenario scenario) {
		var defaults = AriSimulatorSettings.defaults();
		pbx.script("2001", CallScript.answerAfter(Duration.ZERO));
		scenario.stimulate(() -> {
			try {
				// Someone else's dialplan (or a typo in the tenant's) sends a call with other arguments.
				var other = ARI.build(pbx.baseUrl().toString(), "someone-else", defaults.username(), defaults.password(),
						AriVersion.ARI_10_0_0);
				other.channels().originate("PJSIP/2001").setApp(application).setAppArgs("sales,2001").execute();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		})
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.tenantId().equals(tenant))
			.toArriveAndVerify(ended -> {
				assertThat(ended.outcome()).isEqualTo(CallOutcome.NOT_CONFIGURED);
				var call = record(ended);
				assertThat(call.dialled()).isNull();
				assertThat(call.failureReason()).contains("[sales, 2001]").contains("inbound,${EXTEN}");
			});
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	@Test
	void aCallerWaitingOnARoutedNumberWhoHangsUpLeavesAMissedCallTheyAbandoned(Scenario scenario) {
		var queue = context.callAs(tenant, () -> queues.create("Support", List.of()));
		context.callAs(tenant, () -> numbers.create(new InboundNumberDraft(connection.id(), "+55" + did,
				queue.id(), null)));
		var caller = pbx.callIn(application, "55" + did, "Bob Caller", "48999991111");
		// Accepted: Voxdesk rings the caller's line (its side shows Ringing, as in the recording) and keeps it in Stasis.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> pbx.channels().stream().anyMatch(c -> c.id().equals(caller) && c.state().equals("Ringing")));
		assertThat(pbx.channels()).hasSize(2);

		scenario.stimulate(() -> pbx.hangUpFromFarEnd(caller, 16))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.tenantId().equals(tenant))
			.toArriveAndVerify(ended -> {
				assertThat(ended.status()).isEqualTo(CallStatus.MISSED);
				assertThat(ended.outcome()).isEqualTo(CallOutcome.ABANDONED);
				var call = record(ended);
				assertThat(call.direction()).isEqualTo("inbound");
				assertThat(call.queue()).isEqualTo(queue.id());
				assertThat(call.dialled()).isEqualTo("+55" + did);
				assertThat(call.number()).isEqualTo("+5548999991111");
				assertThat(call.answeredAt()).isNull();
			});
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}
}

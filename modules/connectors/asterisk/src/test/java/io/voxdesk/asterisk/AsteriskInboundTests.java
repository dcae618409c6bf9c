package io.voxdesk.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
import io.voxdesk.testing.tenants.TestMembers;
import io.voxdesk.testing.tenants.TestTenants;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Calls that reach a tenant's Asterisk and enter Voxdesk's Stasis application with
 * {@code Stasis(<app>,inbound,${EXTEN})}, against the ARI simulator: every one leaves a call record; one Voxdesk
 * cannot route (a number nobody routed, arguments it does not know) is refused as an unallocated number and never
 * left in Stasis; a number routed to one user rings that user alone.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class AsteriskInboundTests {

	@Autowired
	ProviderConnectionManagement connections;

	@Autowired
	InboundNumberManagement numbers;

	@Autowired
	CallManagement calls;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	ExtensionManagement extensions;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

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
		application = PbxConnections.application(tenant);
		connection = PbxConnections.connect(connections, context, tenant, pbx);
	}

	@AfterEach
	void stopPbx() {
		pbx.close();
	}

	/** The ended call's record; the event is seen as it is published, a moment before its transaction commits. */
	CallDetails record(CallEnded ended) {
		return await().atMost(Duration.ofSeconds(5))
			.until(() -> context.callAs(tenant, () -> calls.find(ended.callId(), CurrentUser.admin(admin))),
					found -> found.isPresent())
			.orElseThrow();
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
	void aNumberRoutedToOneUserRingsThatUserAloneAndACallerWhoGivesUpLeavesAMissedCall(Scenario scenario) {
		var user = new TestMembers(jdbc, transactions, context).add(tenant, "dora", "agent");
		context.runAs(tenant, () -> extensions.save(user, ExtensionDraft.of("1007", true)));
		pbx.script("1007", CallScript.noAnswer());
		context.callAs(tenant, () -> numbers.create(new InboundNumberDraft(connection.id(), "+55" + did, null, user)));

		var caller = pbx.callIn(application, "55" + did, "Bob Caller", "48999991111");
		// Accepted: the caller is answered and waits with music while Dora's phone rings.
		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.channels()
			.stream()
			.anyMatch(channel -> channel.number().equals("1007") && channel.state().equals("Ringing")));
		assertThat(pbx.dialled()).filteredOn(endpoint -> endpoint.startsWith("PJSIP/")).containsExactly("PJSIP/1007");

		scenario.stimulate(() -> pbx.hangUpFromFarEnd(caller, 16))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.tenantId().equals(tenant))
			.toArriveAndVerify(ended -> {
				assertThat(ended.status()).isEqualTo(CallStatus.MISSED);
				assertThat(ended.outcome()).isEqualTo(CallOutcome.ABANDONED);
				var call = record(ended);
				assertThat(call.direction()).isEqualTo("inbound");
				assertThat(call.queue()).isNull();
				assertThat(call.agent()).isNull();
				assertThat(call.dialled()).isEqualTo("+55" + did);
				assertThat(call.number()).isEqualTo("+5548999991111");
				assertThat(call.answeredAt()).isNull();
			});
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	/**
	 * Issue 16, point 13: a PBX whose dialplan sends an extension's own calls to Voxdesk with
	 * {@code Stasis(<app>,outbound,${EXTEN})} gets them recorded for the extension's user and connected: the phone
	 * hears ringing, the customer is dialled, both are bridged once the customer answers, and the phone hanging up
	 * ends the call.
	 */
	@Test
	void aCallAnExtensionSendsIntoTheApplicationAsOutboundIsRecordedForItsUserAndConnected(Scenario scenario) {
		var user = new TestMembers(jdbc, transactions, context).add(tenant, "eva", "agent");
		context.runAs(tenant, () -> extensions.save(user, ExtensionDraft.of("1008", true)));
		var customer = "5548" + did.substring(4) + "22";
		pbx.script(customer, CallScript.answerAfter(Duration.ofMillis(200)));

		var phone = pbx.callOut(application, "1008", customer);

		var call = await().atMost(Duration.ofSeconds(10)).until(() -> context.callAs(tenant, () -> calls.recentOf(user))
			.stream()
			.filter(recent -> recent.status() == CallStatus.ANSWERED)
			.findFirst(), found -> found.isPresent()).orElseThrow();
		assertThat(call.direction()).isEqualTo("outbound");
		assertThat(call.agent()).isEqualTo(user);
		assertThat(call.agentExtension()).isEqualTo("1008");
		assertThat(call.number()).isEqualTo("+" + customer);
		assertThat(pbx.dialled()).contains("PJSIP/" + customer + "@trunk");
		// The phone's channel was answered only when the customer was: both are in the call's bridge.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels())
			.filteredOn(channel -> channel.name().endsWith(";2") || channel.id().equals("vx-c-" + call.id()))
			.extracting(channel -> channel.state())
			.containsOnly("Up"));

		scenario.stimulate(() -> pbx.hangUpFromFarEnd(phone, 16))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.callId().equals(call.id()))
			.toArriveAndVerify(ended -> assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
		assertThat(context.callAs(tenant, () -> calls.recentOf(user))).hasSize(1);
	}

	/** The attack: a phone whose extension no user has sends a call to Voxdesk, to call out without a record. */
	@Test
	void aCallFromAnExtensionNobodyHasIsRefusedAndNotPlaced() {
		var customer = "5548" + did.substring(4) + "33";
		pbx.script(customer, CallScript.answerAfter(Duration.ZERO));

		pbx.callOut(application, "1999", customer);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
		assertThat(pbx.dialled()).noneMatch(endpoint -> endpoint.startsWith("PJSIP/" + customer));
		var recorded = context.callAs(tenant, () -> jdbc.sql("select count(*) from calls where number = :number")
			.param("number", "+" + customer)
			.query(Long.class)
			.single());
		assertThat(recorded).isZero();
	}
}

package io.voxdesk.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioInUseException;
import io.voxdesk.audio.AudioKind;
import io.voxdesk.audio.AudioManagement;
import io.voxdesk.audio.AudioUpload;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.ContactSelection;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

/**
 * The campaigns module against the real database, with the modules it depends on and the Asterisk connector (a
 * campaign needs an Asterisk connection): what starting fixes and announces, which contacts a selection takes,
 * the states, and another tenant's campaign never reached.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = "asterisk",
		webEnvironment = WebEnvironment.NONE)
class CampaignManagementTests {

	@Autowired
	CampaignManagement campaigns;

	@Autowired
	ContactManagement contacts;

	@Autowired
	AudioManagement audio;

	@Autowired
	ProviderConnectionManagement connections;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	TenantId tenant;

	TenantId other;

	ProviderConnectionId connection;

	AudioId message;

	@BeforeEach
	void tenant() {
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("cp", "Campaigns");
		other = testTenants.create("cx", "Other");
		context.runAs(tenant, () -> {
			connection = connections.create(new ProviderConnectionDraft(ProviderKind.of("asterisk"), "PBX", true,
					Map.of("baseUrl", "http://127.0.0.1:9", "username", "voxdesk", "application", "cp-" + UUID.randomUUID()
						.toString().substring(0, 8), "agentEndpoint", "PJSIP/{extension}", "outboundEndpoint",
							"PJSIP/{number}@trunk"), "secret")).id();
			message = audio.upload(new AudioUpload("Mensagem", AudioKind.CAMPAIGN_MESSAGE, null),
					new ByteArrayInputStream(silence())).id();
			contact("Ana", "(48) 99999-0001", "vip");
			contact("Bruno", "(48) 99999-0002", "vip", "late");
			contact("Carla", "(48) 99999-0003", "other");
			contacts.create(new ContactDraft("Sem telefone", List.of(), null, List.of(), List.of("vip")));
		});
	}

	void contact(String name, String number, String... tags) {
		contacts.create(new ContactDraft(name, List.of(new ContactDraft.PhoneDraft(number, null)), null, List.of(),
				List.of(tags)));
	}

	static byte[] silence() {
		var buffer = ByteBuffer.allocate(44 + 8000).order(ByteOrder.LITTLE_ENDIAN);
		buffer.put("RIFF".getBytes()).putInt(36 + 8000).put("WAVE".getBytes());
		buffer.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
			.putShort((short) 2).putShort((short) 16);
		buffer.put("data".getBytes()).putInt(8000);
		return buffer.array();
	}

	CampaignDraft draft(String name, String... tags) {
		return new CampaignDraft(name, connection, message, "554833330100", new ContactSelection(List.of(tags), ""), 5,
				CallingWindow.defaults(), Retries.defaults(), MachineHandling.HANG_UP, null);
	}

	@Test
	void startingFixesTheSelectedContactsWithANumberAndAnnouncesIt(Scenario scenario) {
		var draft = context.callAs(tenant, () -> campaigns.create(draft("VIPs", "vip")));

		scenario.stimulate(() -> context.callAs(tenant, () -> campaigns.start(draft.id())))
			.andWaitForEventOfType(CampaignStateChanged.class)
			.matching(changed -> changed.campaignId().equals(draft.id()))
			.toArriveAndVerify((changed, started) -> {
				assertThat(changed.from()).isEqualTo(CampaignState.DRAFT);
				assertThat(changed.to()).isEqualTo(CampaignState.RUNNING);
				assertThat(started.state()).isEqualTo(CampaignState.RUNNING);
				assertThat(started.totalContacts()).as("Ana and Bruno; the contact without a number is not called")
					.isEqualTo(2);
			});
	}

	@Test
	void aSelectionByTextAndTagsTakesOnlyWhatMatches() {
		assertThat(context.callAs(tenant, () -> contacts.count(new ContactSelection(List.of(), "")))).isEqualTo(3);
		assertThat(context.callAs(tenant, () -> contacts.count(new ContactSelection(List.of("late", "other"), ""))))
			.isEqualTo(2);
		assertThat(context.callAs(tenant, () -> contacts.count(new ContactSelection(List.of("vip"), "bru")))).isEqualTo(1);
		assertThat(context.callAs(tenant, () -> contacts.count(new ContactSelection(List.of(), "99999-0003"))))
			.isEqualTo(1);
		var firstPage = context.callAs(tenant, () -> contacts.targets(new ContactSelection(List.of(), ""), null, 2));
		var rest = context.callAs(tenant,
				() -> contacts.targets(new ContactSelection(List.of(), ""), firstPage.getLast().contact(), 2));
		assertThat(firstPage).hasSize(2);
		assertThat(rest).hasSize(1);
		assertThat(rest.getFirst().number()).startsWith("+5548999990");
	}

	@Test
	void statesAllowWhatTheySayAndTheMessageIsKeptWhileUsed() {
		var campaign = context.callAs(tenant, () -> campaigns.create(draft("States", "vip")));

		assertThatThrownBy(() -> context.callAs(tenant, () -> campaigns.pause(campaign.id())))
			.isInstanceOf(CampaignRefusedException.class)
			.hasMessageContaining("A draft campaign cannot pause");
		assertThatThrownBy(() -> context.runAs(tenant, () -> audio.delete(message)))
			.isInstanceOf(AudioInUseException.class);
		context.runAs(tenant, () -> campaigns.start(campaign.id()));
		assertThat(context.callAs(tenant, () -> campaigns.pause(campaign.id())).state()).isEqualTo(CampaignState.PAUSED);
		assertThat(context.callAs(tenant, () -> campaigns.cancel(campaign.id())).state())
			.isEqualTo(CampaignState.CANCELLED);

		context.runAs(tenant, () -> audio.delete(message));
		assertThat(context.callAs(tenant, () -> audio.find(message))).as("an ended campaign no longer holds it").isEmpty();
	}

	@Test
	void anotherTenantReachesNoCampaign() {
		var campaign = context.callAs(tenant, () -> campaigns.create(draft("Mine", "vip")));

		assertThat(context.callAs(other, () -> campaigns.find(campaign.id()))).isEmpty();
		assertThat(context.callAs(other, () -> campaigns.list())).isEmpty();
		assertThatThrownBy(() -> context.callAs(other, () -> campaigns.start(campaign.id())))
			.isInstanceOf(CampaignNotFoundException.class);
		assertThatThrownBy(() -> context.callAs(other, () -> campaigns.create(draft("Borrowed", "vip"))))
			.as("tenant A's connection and audio do not exist for tenant B")
			.isInstanceOf(CampaignRefusedException.class);
	}
}

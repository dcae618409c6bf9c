package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.LinkedMultiValueMap;

/**
 * Reconciling campaign attempts with the PBX (issue 17, point 5): an attempt recorded but never placed (the
 * application stopped between its commit and the originate) is found, since the PBX has no channel for it, and ends
 * as failed, so its contact is called again under a new attempt by the rule for failures; an attempt whose call is
 * still ringing on the PBX is left alone. Checks every second here instead of every 30 s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "voxdesk.campaigns.reconcile-interval=1s", "voxdesk.campaigns.lost-after=1s" })
class CampaignReconciliationTests {

	static final String ADMIN = "initech-admin";

	static final TenantId INITECH = TenantId.of("initech");

	static final String ARI_PASSWORD = "ari-" + UUID.randomUUID();

	static AriSimulator pbx;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TenantContext context;

	@BeforeAll
	static void startPbx() {
		var defaults = AriSimulatorSettings.defaults();
		pbx = AriSimulator.start(new AriSimulatorSettings(0, "voxdesk", ARI_PASSWORD, defaults.asteriskVersion()));
	}

	@AfterAll
	static void stopPbx() {
		pbx.close();
	}

	@Test
	void anAttemptThePbxNeverHadEndsAsFailedWhileARingingOneIsLeftAlone() {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant("initech");
		for (var existing : api.get(ADMIN, "/api/provider-connections").json()) {
			api.delete(ADMIN, "/api/provider-connections/" + existing.path("id").asString());
		}
		var connection = api.post(ADMIN, "/api/provider-connections", """
				{"kind": "asterisk", "name": "Reconciled PBX", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s", "username": "voxdesk", "application": "reconcile-tests",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk"}}"""
			.formatted(ARI_PASSWORD, pbx.baseUrl())).json().path("id").asString();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
				api.postEmpty(ADMIN, "/api/provider-connections/" + connection + "/test").json().path("ok").asBoolean())
			.isTrue());
		// Every number rings and nobody answers: the first attempt stays in progress on the PBX.
		pbx.defaultScript(CallScript.noAnswer());
		var parts = new LinkedMultiValueMap<String, Object>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(AudioApiTests.wav(8000, 1, 0.5)) {

			@Override
			public String getFilename() {
				return "aviso.wav";
			}
		}));
		parts.add("kind", "campaign-message");
		var audio = api.postMultipart(ADMIN, "/api/audio", parts).json().path("id").asString();
		var tag = "rc" + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 2; i++) {
			api.post(ADMIN, "/api/contacts", """
					{"name": "Cliente", "phones": [{"number": "(48) 9%s"}], "tags": ["%s"]}"""
				.formatted(VoxdeskApi.freshSubscriberDigits(), tag));
		}
		var campaign = api.post(ADMIN, "/api/campaigns", """
				{"name": "Reconciliada", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 1,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"}}""".formatted(connection, audio, tag)).json().path("id").asString();
		var id = UUID.fromString(campaign);
		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start");
		var ringing = await().atMost(Duration.ofSeconds(10)).until(() -> openAttempts(id), open -> open.size() == 1)
			.getFirst();

		// What a crash between the attempt's commit and its originate leaves: the row, and no call.
		var lost = UUID.randomUUID();
		context.runAs(INITECH, () -> {
			var other = jdbc.sql("select contact_id, number from campaign_contacts where campaign_id = ? and state = 'pending'")
				.param(id)
				.query((rs, row) -> new Object[] { rs.getObject(1, UUID.class), rs.getString(2) })
				.single();
			jdbc.sql("update campaign_contacts set state = 'calling', attempts = attempts + 1 where campaign_id = ? "
					+ "and contact_id = ?").params(id, other[0]).update();
			jdbc.sql("insert into campaign_attempts (id, tenant_id, campaign_id, contact_id, number, attempt_no, placed_at) "
					+ "values (?, 'initech', ?, ?, ?, 1, ?)")
				.params(lost, id, other[0], other[1], Timestamp.from(Instant.now().minusSeconds(60)))
				.update();
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> !openAttempts(id).contains(lost));
		var ended = context.callAs(INITECH, () -> jdbc.sql("select outcome, cause from campaign_attempts where id = ?")
			.param(lost)
			.query((rs, row) -> List.of(rs.getString(1), rs.getString(2)))
			.single());
		assertThat(ended.get(0)).isEqualTo("failed");
		assertThat(ended.get(1)).startsWith("lost: the PBX has no such call");
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
			.until(() -> openAttempts(id).contains(ringing));
		assertThat(pbx.channels()).anyMatch(channel -> channel.id().equals("vx-k-" + ringing));

		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/cancel");
		pbx.hangUpFromFarEnd("vx-k-" + ringing, 19);
		await().atMost(Duration.ofSeconds(10)).until(() -> openAttempts(id).isEmpty());
	}

	List<UUID> openAttempts(UUID campaign) {
		return context.callAs(INITECH, () -> jdbc.sql("select id from campaign_attempts where campaign_id = ? "
				+ "and ended_at is null")
			.param(campaign)
			.query(UUID.class)
			.list());
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.util.LinkedMultiValueMap;

/**
 * Voice campaigns over real HTTP with Keycloak tokens (issue 17, point 4): a draft from a selection of contacts,
 * its states and what each allows, what a running campaign may and may not change, the connection's channel limit,
 * API4COM refused, bad input (a concurrency of 5000, an empty selection) refused with nothing made, audio in use
 * kept, isolation between tenants and roles. Tenant initech, so no other test's connections get in the way.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CampaignApiTests {

	static final String ADMIN = "initech-admin";

	@LocalServerPort
	int port;

	VoxdeskApi api;

	String asterisk;

	String audio;

	/** A tag only this test's contacts carry. */
	String tag;

	@BeforeEach
	void initech() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("initech");
		api.ensureActiveTenant("globex");
		// A tenant's calls go through one enabled connection: other tests' connections of initech go first.
		for (var existing : api.get(ADMIN, "/api/provider-connections").json()) {
			api.delete(ADMIN, "/api/provider-connections/" + existing.path("id").asString());
		}
		asterisk = connection("asterisk", """
				{"kind": "asterisk", "name": "Campaign PBX %s", "enabled": true, "secret": "ari-secret",
				 "settings": {"baseUrl": "http://127.0.0.1:9", "username": "voxdesk", "application": "initech-%s",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk",
				              "channelLimit": "30"}}""".formatted(UUID.randomUUID(), UUID.randomUUID().toString().substring(0, 8)));
		var parts = new LinkedMultiValueMap<String, Object>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(AudioApiTests.wav(8000, 1, 1.0)) {

			@Override
			public String getFilename() {
				return "fatura.wav";
			}
		}));
		parts.add("kind", "campaign-message");
		var uploaded = api.postMultipart(ADMIN, "/api/audio", parts);
		assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
		audio = uploaded.json().path("id").asString();
		tag = "t" + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 3; i++) {
			var contact = api.post(ADMIN, "/api/contacts", """
					{"name": "Cliente %d", "phones": [{"number": "(48) 9%s"}], "tags": ["%s"]}"""
				.formatted(i, VoxdeskApi.freshSubscriberDigits(), tag));
			assertThat(contact.status()).as(contact.body()).isEqualTo(201);
		}
	}

	String connection(String kind, String body) {
		var created = api.post(ADMIN, "/api/provider-connections", body);
		assertThat(created.status()).as(kind + ": " + created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	String body(String name, int concurrency, String tags) {
		return """
				{"name": "%s", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": [%s]}, "concurrency": %d,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "America/Sao_Paulo"}}""".formatted(name, asterisk, audio, tags, concurrency);
	}

	String created(String name) {
		var created = api.post(ADMIN, "/api/campaigns", body(name, 10, "\"" + tag + "\""));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	VoxdeskApi.Response act(String campaign, String action) {
		return api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/" + action);
	}

	@Test
	void aDraftStartsWithItsContactsFixedPausesResumesAndIsCancelledWithAnAuditTrail() {
		var created = api.post(ADMIN, "/api/campaigns", body("Lembrete", 10, "\"" + tag + "\""));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var campaign = created.json().path("id").asString();
		assertThat(created.json().path("state").asString()).isEqualTo("draft");
		assertThat(created.json().path("retries").path("busy").path("maxAttempts").asInt()).as("defaults").isEqualTo(3);
		assertThat(created.json().path("machines").asString()).isEqualTo("hang-up");
		assertThat(created.json().path("totalContacts").asInt()).isZero();

		var started = act(campaign, "start");
		assertThat(started.status()).as(started.body()).isEqualTo(200);
		assertThat(started.json().path("state").asString()).isEqualTo("running");
		assertThat(started.json().path("totalContacts").asInt()).isEqualTo(3);
		assertThat(started.json().path("startedAt").isNull()).isFalse();
		// A contact added after the start is not called by this campaign.
		api.post(ADMIN, "/api/contacts", """
				{"name": "Late", "phones": [{"number": "(48) 9%s"}], "tags": ["%s"]}"""
			.formatted(VoxdeskApi.freshSubscriberDigits(), tag));
		assertThat(act(campaign, "pause").json().path("state").asString()).isEqualTo("paused");
		assertThat(act(campaign, "resume").json().path("state").asString()).isEqualTo("running");
		assertThat(api.get(ADMIN, "/api/campaigns/" + campaign).json().path("totalContacts").asInt()).isEqualTo(3);

		var cancelled = act(campaign, "cancel");
		assertThat(cancelled.json().path("state").asString()).isEqualTo("cancelled");
		assertThat(cancelled.json().path("finishedAt").isNull()).isFalse();
		var again = act(campaign, "resume");
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.detail()).isEqualTo("A cancelled campaign cannot resume; only a paused one can.");
		await().untilAsserted(() -> assertThat(api.get(ADMIN, "/api/audit-entries?size=200").body())
			.contains("campaign \\\"Lembrete\\\" draft -> running")
			.contains("campaign \\\"Lembrete\\\" running -> paused")
			.contains("campaign \\\"Lembrete\\\" running -> cancelled"));
	}

	@Test
	void aRunningCampaignChangesOnlyItsPaceAndWindow() {
		var campaign = created("Pace");
		act(campaign, "start");

		var faster = api.put(ADMIN, "/api/campaigns/" + campaign, body("Pace", 25, "\"" + tag + "\""));
		assertThat(faster.status()).as(faster.body()).isEqualTo(200);
		assertThat(faster.json().path("concurrency").asInt()).isEqualTo(25);

		var otherContacts = api.put(ADMIN, "/api/campaigns/" + campaign, body("Pace", 25, "\"someone-else\""));
		assertThat(otherContacts.status()).isEqualTo(409);
		assertThat(otherContacts.detail()).contains("can only change its concurrency and calling window")
			.contains("its contacts stay");
		var overLimit = api.put(ADMIN, "/api/campaigns/" + campaign, body("Pace", 31, "\"" + tag + "\""));
		assertThat(overLimit.status()).isEqualTo(400);
		assertThat(overLimit.detail()).contains("allows 30 simultaneous calls");
		assertThat(api.delete(ADMIN, "/api/campaigns/" + campaign).status()).as("only drafts are deleted").isEqualTo(409);
		act(campaign, "cancel");
	}

	@Test
	void badInputIsRefusedWithAProblemAndNothingIsMade() {
		var before = api.get(ADMIN, "/api/campaigns").json().size();

		var tooMany = api.post(ADMIN, "/api/campaigns", body("Too many", 5000, "\"" + tag + "\""));
		assertThat(tooMany.status()).isEqualTo(400);
		assertThat(tooMany.detail()).isEqualTo("concurrency is how many calls run at once, from 1 to 1000; it was 5000.");
		var nobody = api.post(ADMIN, "/api/campaigns", body("Nobody", 5, "\"no-such-tag-" + UUID.randomUUID() + "\""));
		assertThat(nobody.status()).isEqualTo(422);
		assertThat(nobody.detail()).startsWith("No contact with a phone number matches");
		var api4com = connection("api4com", """
				{"kind": "api4com", "name": "Cloud %s", "enabled": false, "secret": "t0ken",
				 "settings": {"baseUrl": "http://127.0.0.1:9/api/v1", "domain": "initech.api4com.com"}}"""
			.formatted(UUID.randomUUID()));
		var cloud = api.post(ADMIN, "/api/campaigns", body("Cloud", 5, "\"" + tag + "\"").replace(asterisk, api4com));
		assertThat(cloud.status()).isEqualTo(422);
		assertThat(cloud.detail()).contains("api4com's API has no broadcast dialer");
		var badWindow = api.post(ADMIN, "/api/campaigns", body("Night", 5, "\"" + tag + "\"")
			.replace("\"from\": \"00:00\", \"until\": \"23:59\"", "\"from\": \"22:00\", \"until\": \"06:00\""));
		assertThat(badWindow.status()).isEqualTo(400);
		assertThat(badWindow.detail()).contains("window.until must be after window.from");
		var badDay = api.post(ADMIN, "/api/campaigns", body("Day", 5, "\"" + tag + "\"").replace("\"sun\"", "\"domingo\""));
		assertThat(badDay.status()).isEqualTo(400);
		assertThat(badDay.detail()).contains("'domingo' is not a day");
		var badZone = api.post(ADMIN, "/api/campaigns", body("Zone", 5, "\"" + tag + "\"")
			.replace("America/Sao_Paulo", "Mars/Olympus"));
		assertThat(badZone.status()).isEqualTo(400);
		var noAudio = api.post(ADMIN, "/api/campaigns", body("Audio", 5, "\"" + tag + "\"").replace(audio, UUID.randomUUID().toString()));
		assertThat(noAudio.status()).isEqualTo(400);
		assertThat(noAudio.detail()).contains("in your organization's library");
		var badKey = api.post(ADMIN, "/api/campaigns", body("Menu", 5, "\"" + tag + "\"").replace("\"concurrency\"",
				"\"ivr\": {\"options\": {\"x\": {\"action\": \"repeat\"}}}, \"concurrency\""));
		assertThat(badKey.status()).isEqualTo(400);
		assertThat(badKey.detail()).contains("'x' is not a key");
		var badAction = api.post(ADMIN, "/api/campaigns", body("Menu", 5, "\"" + tag + "\"").replace("\"concurrency\"",
				"\"ivr\": {\"options\": {\"1\": {\"action\": \"transfer-to-mars\"}}}, \"concurrency\""));
		assertThat(badAction.status()).isEqualTo(400);
		var noName = api.post(ADMIN, "/api/campaigns", body("", 5, "\"" + tag + "\""));
		assertThat(noName.status()).isEqualTo(400);

		assertThat(api.get(ADMIN, "/api/campaigns").json().size()).isEqualTo(before);
	}

	@Test
	void twoAdminsActingAtOnceEndInOneStateBothAnswersAgreeOn() throws Exception {
		var campaign = created("Race");
		act(campaign, "start");

		try (var threads = Executors.newFixedThreadPool(2)) {
			var pause = threads.submit((Callable<VoxdeskApi.Response>) () -> act(campaign, "pause"));
			var cancel = threads.submit((Callable<VoxdeskApi.Response>) () -> act(campaign, "cancel"));
			var paused = pause.get();
			var cancelled = cancel.get();
			assertThat(cancelled.status()).as("cancel is allowed from running and from paused").isEqualTo(200);
			assertThat(paused.status()).isIn(200, 409);
		}
		assertThat(api.get(ADMIN, "/api/campaigns/" + campaign).json().path("state").asString()).isEqualTo("cancelled");
	}

	@Test
	void audioACampaignPlaysIsKeptAndOtherTenantsAndAgentsReachNothing() {
		var campaign = created("Kept");

		var deleting = api.delete(ADMIN, "/api/audio/" + audio);
		assertThat(deleting.status()).isEqualTo(409);
		assertThat(deleting.detail()).contains("campaign \"Kept\"");

		// The attack: globex's admin knows the campaign's id and tries every verb.
		assertThat(api.get("globex-admin", "/api/campaigns/" + campaign).status()).isEqualTo(404);
		assertThat(api.postEmpty("globex-admin", "/api/campaigns/" + campaign + "/start").status()).isEqualTo(404);
		assertThat(api.delete("globex-admin", "/api/campaigns/" + campaign).status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/campaigns").body()).doesNotContain(campaign);
		// globex cannot point a campaign at initech's connection or audio either.
		var borrowed = api.post("globex-admin", "/api/campaigns", body("Borrowed", 5, ""));
		assertThat(borrowed.status()).isEqualTo(400);
		assertThat(api.get("acme-agent", "/api/campaigns").status()).isEqualTo(403);

		assertThat(api.delete(ADMIN, "/api/campaigns/" + campaign).status()).isEqualTo(204);
		assertThat(api.delete(ADMIN, "/api/audio/" + audio).status()).isEqualTo(204);
	}
}

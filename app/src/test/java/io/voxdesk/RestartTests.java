package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;
import io.voxdesk.testing.arisim.OutcomeMix;
import io.voxdesk.testing.arisim.SimChannel;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, point 17 (and issue 17, point 14, below): the application is killed ({@code kill -9}) while three callers wait in a queue and an agent's
 * phone rings for the first; after it starts again the phone that kept ringing takes the first caller, the second is
 * distributed once the agent is free, the one who hung up meanwhile is recorded as missed, nobody is left in Stasis,
 * and nobody gets two call records.
 * <p>
 * The application runs in processes of its own (the test's classpath, the test database, the real Keycloak), so
 * that killing it kills everything it held in memory; the PBX simulator lives on in this JVM, as a real Asterisk
 * outlives the application. Run by a surefire execution of its own ({@code restart} in {@code app/pom.xml}): no
 * Spring context of another test class shares the database's waiting calls with these processes.
 */
class RestartTests {

	static final String ARI_PASSWORD = "ari-" + UUID.randomUUID();

	AriSimulator pbx;

	@Nullable Process app;

	int port;

	VoxdeskApi api;

	@BeforeEach
	void startPbxAndApplication() throws IOException {
		var defaults = AriSimulatorSettings.defaults();
		// Time runs three times slower on the PBX: its simulated callers hang up by themselves after 60 s, and the
		// two starts of the application must fit in well before that.
		pbx = AriSimulator.start(new AriSimulatorSettings(0, "voxdesk", ARI_PASSWORD, defaults.asteriskVersion(), 3.0));
		port = ApplicationProcess.freePort();
		app = launch("first");
		api = new VoxdeskApi(port);
	}

	@AfterEach
	void stopEverything() throws InterruptedException {
		var running = app;
		if (running != null) {
			ApplicationProcess.stop(running);
		}
		pbx.close();
	}

	@Test
	void callersWaitingWhenTheApplicationIsKilledAreStillDistributedOrMissedAfterItStartsAgain() throws Exception {
		api.ensureActiveTenant("acme");
		for (var existing : api.get("acme-admin", "/api/provider-connections").json()) {
			api.delete("acme-admin", "/api/provider-connections/" + existing.path("id").asString());
		}
		var created = api.post("acme-admin", "/api/provider-connections", """
				{"kind": "asterisk", "name": "Restart PBX", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s", "username": "voxdesk", "application": "voxdesk-restart",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk"}}"""
			.formatted(ARI_PASSWORD, pbx.baseUrl()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var connection = created.json().path("id").asString();
		awaitConnected(connection);
		pbx.script("1001", CallScript.noAnswer());
		assertThat(api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1001\", \"active\": true}").status())
			.isEqualTo(200);
		assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"available\"}").status()).isEqualTo(200);
		var agent = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		var queue = api.post("acme-admin", "/api/queues", "{\"name\": \"Restart %s\", \"memberIds\": [\"%s\"]}"
			.formatted(UUID.randomUUID().toString().substring(0, 8), agent)).json().path("id").asString();
		// Long enough rings and waits that nothing runs out by itself while the application is down.
		var routing = api.put("acme-admin", "/api/queues/" + queue + "/call-routing", """
				{"strategy": "ring-all", "ringSeconds": 120, "maxWaitSeconds": 150, "wrapUpSeconds": 0,
				 "overflow": {"target": "hang-up", "message": "vm-goodbye"}}""");
		assertThat(routing.status()).as(routing.body()).isEqualTo(200);
		var did = "4833" + VoxdeskApi.freshSubscriberDigits().substring(2);
		assertThat(api.post("acme-admin", "/api/inbound-numbers", "{\"connectionId\": \"%s\", \"number\": \"%s\", \"queueId\": \"%s\"}"
			.formatted(connection, did, queue)).status()).isEqualTo(201);
		var numbers = new ArrayList<String>();
		var lines = new ArrayList<String>();
		for (int caller = 0; caller < 3; caller++) {
			var number = "4899" + VoxdeskApi.freshSubscriberDigits().substring(1);
			numbers.add("+55" + number);
			lines.add(pbx.callIn("voxdesk-restart", "55" + did, "Caller " + caller, number));
			// One after the other, so that the first waits longest and is the one the agent is rung for.
			await().atMost(Duration.ofSeconds(10)).until(() -> records(numbers).size() == numbers.size());
		}
		var ringing = await().atMost(Duration.ofSeconds(10)).until(this::agentPhone, phone -> phone != null);
		var first = records(numbers).get(numbers.getFirst()).id();
		assertThat(ringing.id()).isEqualTo("vx-o1-" + first);

		var killed = app;
		killed.destroyForcibly();
		killed.waitFor();
		app = null;
		// While nobody listens, the third caller gives up.
		pbx.hangUpFromFarEnd(lines.get(2), 16);
		app = launch("second");
		// Ready is not yet listening to the PBX: an agent answering before the application's socket is back would have
		// their leg hung up by the PBX (a channel cannot enter an application nobody has registered), as Asterisk does.
		await().atMost(Duration.ofSeconds(30)).until(() -> SeveralInstancesTests.asterisk(api)
			.path("details")
			.path(connection)
			.asString("")
			.startsWith("connected"));

		// The phone still rings for the first caller, as the PBX kept it; the agent picks up now.
		pbx.answerFromFarEnd(ringing.id());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			var now = records(numbers);
			assertThat(now.get(numbers.get(0)).status()).isEqualTo("ANSWERED");
			assertThat(now.get(numbers.get(0)).agent()).isEqualTo(agent);
			assertThat(now.get(numbers.get(2)).status()).isEqualTo("MISSED");
		});
		// The second caller waits while the agent talks, and is theirs once they hang up.
		assertThat(records(numbers).get(numbers.get(1)).status()).isEqualTo("RINGING");
		pbx.hangUpFromFarEnd(lines.get(0), 16);
		var second = records(numbers).get(numbers.get(1)).id();
		var next = await().atMost(Duration.ofSeconds(20)).until(this::agentPhone, phone -> phone != null);
		assertThat(next.id()).isEqualTo("vx-o1-" + second);
		pbx.answerFromFarEnd(next.id());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(records(numbers).get(numbers.get(1))
			.status()).isEqualTo("ANSWERED"));
		pbx.hangUpFromFarEnd(lines.get(1), 16);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(records(numbers).values())
			.extracting(Row::status)
			.containsExactlyInAnyOrder("COMPLETED", "COMPLETED", "MISSED"));

		var last = records(numbers);
		assertThat(last.get(numbers.get(0)).status()).isEqualTo("COMPLETED");
		assertThat(last.get(numbers.get(2)).outcome()).isEqualTo("ABANDONED");
		assertThat(countRecords(numbers)).as("one call record per caller").isEqualTo(3);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pbx.channels())
			.as("nobody left in Stasis")
			.isEmpty());
		assertThat(offersOf(first)).containsExactly("answered");
	}

	/**
	 * Issue 17, point 14: the application is killed ({@code kill -9}) in the middle of a 2,000-contact campaign at
	 * concurrency 100 whose numbers answer, ring out, are busy, answer with a machine or fail in the shares of a mix.
	 * Started again, the campaign carries on by itself and ends with every contact attempted as the retry rules say
	 * (busy twice, a minute apart; everything else once), and the simulator's own list of originated channels shows
	 * no attempt placed twice and none placed without its row.
	 */
	@Test
	void aCampaignKilledMidwayResumesByItselfAndPlacesNoAttemptTwice() throws Exception {
		// This test's PBX keeps real time: talk detection's thresholds are measured by the application's clock.
		pbx.close();
		pbx = AriSimulator.start(new AriSimulatorSettings(0, "voxdesk", ARI_PASSWORD,
				AriSimulatorSettings.defaults().asteriskVersion(), 1.0));
		pbx.mix("55489", new OutcomeMix(60, 15, 10, 10, 5, Duration.ofMillis(300)));
		var admin = "initech-admin";
		api.ensureActiveTenant("initech");
		for (var existing : api.get(admin, "/api/provider-connections").json()) {
			api.delete(admin, "/api/provider-connections/" + existing.path("id").asString());
		}
		var created = api.post(admin, "/api/provider-connections", """
				{"kind": "asterisk", "name": "Crash PBX", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s", "username": "voxdesk", "application": "voxdesk-crash",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk",
				              "channelLimit": "150"}}""".formatted(ARI_PASSWORD, pbx.baseUrl()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var connection = created.json().path("id").asString();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(api.postEmpty(admin,
				"/api/provider-connections/" + connection + "/test").json().path("ok").asBoolean()).isTrue());
		var tag = "crash" + UUID.randomUUID().toString().substring(0, 8);
		var contacts = 2000;
		var first = VoxdeskApi.freshSubscriberBlock(contacts);
		try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
			var made = new ArrayList<java.util.concurrent.Future<Integer>>();
			for (int i = 0; i < contacts; i++) {
				var digits = Long.toString(first + i);
				made.add(pool.submit(() -> api.post(admin, "/api/contacts", """
						{"name": "Cliente %s", "phones": [{"number": "(48) 9%s"}], "tags": ["%s"]}"""
					.formatted(digits, digits, tag)).status()));
			}
			for (var status : made) {
				assertThat(status.get()).isEqualTo(201);
			}
		}
		var parts = new org.springframework.util.LinkedMultiValueMap<String, Object>();
		parts.add("file", new org.springframework.http.HttpEntity<>(
				new org.springframework.core.io.ByteArrayResource(AudioApiTests.wav(8000, 1, 0.5)) {

					@Override
					public String getFilename() {
						return "aviso.wav";
					}
				}));
		parts.add("kind", "campaign-message");
		var audio = api.postMultipart(admin, "/api/audio", parts).json().path("id").asString();
		var campaign = api.post(admin, "/api/campaigns", """
				{"name": "Queda", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 100,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"},
				 "retries": {"busy": {"maxAttempts": 2, "delayMinutes": 1}, "noAnswer": {"maxAttempts": 1, "delayMinutes": 1},
				             "failed": {"maxAttempts": 1, "delayMinutes": 1}, "machine": {"maxAttempts": 1, "delayMinutes": 1}}}"""
			.formatted(connection, audio, tag));
		assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
		var id = UUID.fromString(campaign.json().path("id").asString());
		assertThat(api.postEmpty(admin, "/api/campaigns/" + id + "/start").status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(120)).until(() -> attempts(id) >= 700);
		var killed = app;
		killed.destroyForcibly();
		killed.waitFor();
		app = null;
		var beforeTheCrash = attempts(id);
		var inProgress = pbx.channels().stream().filter(channel -> channel.id().startsWith("vx-k-")).count();
		app = launch("campaign");

		await().atMost(Duration.ofSeconds(60)).until(() -> attempts(id) > beforeTheCrash);
		await().atMost(Duration.ofMinutes(5)).until(() -> "completed".equals(campaignState(id)));

		var originated = new HashMap<String, Integer>();
		for (var line : pbx.history()) {
			var fields = line.split(" ");
			if (fields[1].equals("originate") && fields[2].startsWith("vx-k-")) {
				originated.merge(fields[2].substring("vx-k-".length()), 1, Integer::sum);
			}
		}
		var rows = attemptRows(id);
		assertThat(originated.values()).as("no attempt placed twice").allMatch(count -> count == 1);
		assertThat(rows.keySet()).as("no call placed without its attempt's row").containsAll(originated.keySet());
		assertThat(rows.values()).as("every attempt ended").allMatch(row -> row.outcome() != null);
		rows.forEach((attempt, row) -> {
			if (!originated.containsKey(attempt)) {
				assertThat(row.outcome()).as("an attempt decided but never placed, found by reconciliation").isEqualTo("failed");
				assertThat(row.cause()).contains("lost");
			}
		});
		var byContact = new HashMap<UUID, List<AttemptRow>>();
		rows.values().forEach(row -> byContact.computeIfAbsent(row.contact(), key -> new ArrayList<>()).add(row));
		assertThat(byContact).as("every contact called").hasSize(contacts);
		var max = Map.of("busy", 2, "no-answer", 1, "failed", 1, "machine", 1);
		byContact.forEach((contact, attempts) -> {
			attempts.sort(java.util.Comparator.comparingInt(AttemptRow::number));
			for (int i = 0; i < attempts.size(); i++) {
				var attempt = attempts.get(i);
				assertThat(attempt.number()).as("attempts numbered in order").isEqualTo(i + 1);
				var last = i == attempts.size() - 1;
				var allowed = max.getOrDefault(attempt.outcome(), 1);
				if (last) {
					assertThat(max.containsKey(attempt.outcome()) ? attempt.number() >= allowed : true)
						.as("contact %s ended after %s attempts with %s while its rule allows more", contact,
								attempts.size(), attempt.outcome())
						.isTrue();
				}
				else {
					assertThat(attempt.number()).as("contact %s retried after %s", contact, attempt.outcome())
						.isLessThan(allowed);
				}
			}
		});
		assertThat(contactsLeft(id)).as("no contact left undone").isZero();
		assertThat(byContact.values().stream().filter(attempts -> attempts.size() == 2).count())
			.as("busy numbers (10 %%) called twice, a minute apart").isBetween(100L, 300L);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
		org.slf4j.LoggerFactory.getLogger(RestartTests.class).info("Campaign crash: {} attempts before the kill, {} "
				+ "calls in progress at the kill, {} attempts in all, {} calls originated", beforeTheCrash, inProgress,
				rows.size(), originated.size());
	}

	/** One attempt's row, read as the owner. */
	record AttemptRow(UUID contact, int number, @Nullable String outcome, @Nullable String cause) {
	}

	private Map<String, AttemptRow> attemptRows(UUID campaign) throws Exception {
		var rows = new HashMap<String, AttemptRow>();
		try (var connection = TestDatabase.get().ownerConnection();
				var query = connection.prepareStatement(
						"select id, contact_id, attempt_no, outcome, cause from campaign_attempts where campaign_id = ?")) {
			query.setObject(1, campaign);
			try (var result = query.executeQuery()) {
				while (result.next()) {
					rows.put(result.getString(1), new AttemptRow(result.getObject(2, UUID.class), result.getInt(3),
							result.getString(4), result.getString(5)));
				}
			}
		}
		return rows;
	}

	private int attempts(UUID campaign) throws Exception {
		return count("select count(*) from campaign_attempts where campaign_id = ?", campaign);
	}

	private int contactsLeft(UUID campaign) throws Exception {
		return count("select count(*) from campaign_contacts where campaign_id = ? and state <> 'done'", campaign);
	}

	private int count(String sql, UUID campaign) throws Exception {
		try (var connection = TestDatabase.get().ownerConnection(); var query = connection.prepareStatement(sql)) {
			query.setObject(1, campaign);
			try (var result = query.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	private @Nullable String campaignState(UUID campaign) throws Exception {
		try (var connection = TestDatabase.get().ownerConnection();
				var query = connection.prepareStatement("select state from campaigns where id = ?")) {
			query.setObject(1, campaign);
			try (var result = query.executeQuery()) {
				return result.next() ? result.getString(1) : null;
			}
		}
	}

	/** The application in a process of its own, ready to serve. */
	private Process launch(String name) throws IOException {
		// Campaign calls that ring out end in 4 s, and attempts lost in a crash are found within seconds.
		return ApplicationProcess.launch(name, port, Map.of("voxdesk.campaigns.ring-seconds", 4,
				"voxdesk.campaigns.lost-after", "5s", "voxdesk.campaigns.reconcile-interval", "5s"));
	}

	private void awaitConnected(String connection) {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			var check = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test");
			assertThat(check.json().path("ok").asBoolean()).as(check.body()).isTrue();
		});
	}

	private @Nullable SimChannel agentPhone() {
		return pbx.channels()
			.stream()
			.filter(channel -> channel.number().equals("1001") && channel.state().equals("Ringing"))
			.findFirst()
			.orElse(null);
	}

	/** A caller's record as the database has it, read as the owner (no tenant needed). */
	record Row(UUID id, String status, @Nullable String outcome, @Nullable String agent) {
	}

	private Map<String, Row> records(List<String> numbers) throws Exception {
		var rows = new HashMap<String, Row>();
		try (var connection = TestDatabase.get().ownerConnection();
				var query = connection.prepareStatement(
						"select number, id, status, outcome, agent_id from calls where number = any (?)")) {
			query.setArray(1, connection.createArrayOf("varchar", numbers.toArray()));
			try (var result = query.executeQuery()) {
				while (result.next()) {
					rows.put(result.getString(1), new Row(result.getObject(2, UUID.class), result.getString(3),
							result.getString(4), result.getString(5)));
				}
			}
		}
		return rows;
	}

	private int countRecords(List<String> numbers) throws Exception {
		try (var connection = TestDatabase.get().ownerConnection();
				var query = connection.prepareStatement("select count(*) from calls where number = any (?)")) {
			query.setArray(1, connection.createArrayOf("varchar", numbers.toArray()));
			try (var result = query.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	private List<String> offersOf(UUID call) throws Exception {
		try (var connection = TestDatabase.get().ownerConnection();
				var query = connection.prepareStatement("select state from call_offers where call_id = ? order by seq")) {
			query.setObject(1, call);
			var states = new ArrayList<String>();
			try (var result = query.executeQuery()) {
				while (result.next()) {
					states.add(result.getString(1));
				}
			}
			return states;
		}
	}
}

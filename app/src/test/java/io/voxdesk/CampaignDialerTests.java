package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import tools.jackson.databind.JsonNode;

/**
 * The campaign dialer end to end (issue 17, point 5): a running campaign on tenant initech's Asterisk connection
 * (the ARI simulator) calls every selected contact, never more at once than its concurrency; a person who answers
 * hears the message, which the PBX fetches from Voxdesk, and is hung up when it ends; a busy line, a failed call and
 * a number on the do-not-call list end as such; the campaign completes by itself. Every attempt's row exists
 * before its call: the simulator's channels carry the attempts' ids.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CampaignDialerTests {

	static final String ADMIN = "initech-admin";

	static final String ARI_PASSWORD = "ari-" + UUID.randomUUID();

	static AriSimulator pbx;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TenantContext context;

	static final TenantId INITECH = TenantId.of("initech");

	VoxdeskApi api;

	String connection;

	@BeforeAll
	static void startPbx() {
		var defaults = AriSimulatorSettings.defaults();
		pbx = AriSimulator.start(new AriSimulatorSettings(0, "voxdesk", ARI_PASSWORD, defaults.asteriskVersion()));
	}

	@AfterAll
	static void stopPbx() {
		pbx.close();
	}

	@BeforeEach
	void initechOnThePbx() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("initech");
		for (var existing : api.get(ADMIN, "/api/provider-connections").json()) {
			api.delete(ADMIN, "/api/provider-connections/" + existing.path("id").asString());
		}
		var created = api.post(ADMIN, "/api/provider-connections", """
				{"kind": "asterisk", "name": "Campaign PBX", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s", "username": "voxdesk", "application": "campaign-tests",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk",
				              "channelLimit": "50"}}""".formatted(ARI_PASSWORD, pbx.baseUrl()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		connection = created.json().path("id").asString();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
				api.postEmpty(ADMIN, "/api/provider-connections/" + connection + "/test").json().path("ok").asBoolean())
			.isTrue());
		pbx.defaultScript(CallScript.answerAfter(Duration.ofMillis(100)));
	}

	String audio() {
		var parts = new LinkedMultiValueMap<String, Object>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(AudioApiTests.wav(8000, 1, 0.5)) {

			@Override
			public String getFilename() {
				return "aviso.wav";
			}
		}));
		parts.add("kind", "campaign-message");
		var uploaded = api.postMultipart(ADMIN, "/api/audio", parts);
		assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
		return uploaded.json().path("id").asString();
	}

	/** A contact with a fresh mobile number carrying {@code tag}; its number in E.164. */
	String contact(String tag) {
		var created = api.post(ADMIN, "/api/contacts", """
				{"name": "Cliente", "phones": [{"number": "(48) 9%s"}], "tags": ["%s"]}"""
			.formatted(VoxdeskApi.freshSubscriberDigits(), tag));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("phones").get(0).path("e164").asString();
	}

	@Test
	void aCampaignCallsEveryContactAtItsPaceAndEndsEachAttemptAsThePbxSaid() throws Exception {
		var tag = "d" + UUID.randomUUID().toString().substring(0, 8);
		var answering = new ArrayList<String>();
		for (int i = 0; i < 4; i++) {
			answering.add(contact(tag));
		}
		var busy = contact(tag);
		var failing = contact(tag);
		var listed = contact(tag);
		pbx.script(busy.substring(1), CallScript.busy());
		pbx.script(failing.substring(1), CallScript.congestion());
		assertThat(api.post(ADMIN, "/api/do-not-call", "{\"number\": \"%s\"}".formatted(listed)).status()).isEqualTo(201);
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Aviso", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 2,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"},
				 "retries": {"busy": {"maxAttempts": 1, "delayMinutes": 1}, "noAnswer": {"maxAttempts": 1, "delayMinutes": 1},
				             "failed": {"maxAttempts": 1, "delayMinutes": 1}, "machine": {"maxAttempts": 1, "delayMinutes": 1}}}"""
			.formatted(connection, audio(), tag));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var campaign = created.json().path("id").asString();

		assertThat(api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start").status()).isEqualTo(200);

		var done = await().atMost(Duration.ofSeconds(60)).until(() -> api.get(ADMIN, "/api/campaigns/" + campaign).json(),
				found -> found.path("state").asString().equals("completed"));
		assertThat(done.path("finishedAt").isNull()).isFalse();
		var outcomes = outcomes(campaign);
		for (var number : answering) {
			assertThat(outcomes).as(number).containsEntry(number, "answered");
		}
		assertThat(outcomes).containsEntry(busy, "busy").containsEntry(failing, "failed").containsEntry(listed, "do-not-call");
		assertThat(pbx.dialled()).as("the listed number is never dialled").noneMatch(endpoint -> endpoint.contains(listed.substring(1)));
		assertThat(maxAtOnce(campaign)).as("never more calls at once than the concurrency").isBetween(1, 2);
		assertThat(played(campaign)).as("each answered call heard the message from Voxdesk")
			.filteredOn(entry -> entry.contains("/media/audio/initech/"))
			.hasSize(4);
		assertThat(pbx.channels()).as("every campaign call was hung up").noneMatch(channel -> channel.id().startsWith("vx-k-"));

		// Issue 17, point 9: the report and the export say the same.
		var report = api.get(ADMIN, "/api/campaigns/" + campaign + "/report").json();
		assertThat(report.path("contacts").asInt()).isEqualTo(7);
		assertThat(report.path("byOutcome").path("answered").asInt()).isEqualTo(4);
		assertThat(report.path("byOutcome").path("busy").asInt()).isEqualTo(1);
		assertThat(report.path("byOutcome").path("failed").asInt()).isEqualTo(1);
		assertThat(report.path("byOutcome").path("do-not-call").asInt()).isEqualTo(1);
		assertThat(report.path("percentByOutcome").path("answered").asDouble()).isEqualTo(57.1);
		assertThat(report.path("attempts").asInt()).isEqualTo(6);
		assertThat(report.path("attemptsPerContact").asDouble()).isEqualTo(1.0);
		assertThat(report.path("inProgress").asInt()).isZero();
		var hours = report.path("answerRateByHour");
		assertThat(hours.get(0).path("attempts").asInt() + (hours.size() > 1 ? hours.get(1).path("attempts").asInt() : 0))
			.isEqualTo(6);
		var csv = api.get(ADMIN, "/api/campaigns/" + campaign + "/attempts.csv");
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.contentType()).startsWith("text/csv");
		var lines = csv.body().lines().toList();
		assertThat(lines.getFirst())
			.isEqualTo("placed_at,number,contact_id,attempt,outcome,cause,answered_by,keys,answered_at,ended_at,talk_seconds");
		assertThat(lines).hasSize(7);
		assertThat(lines).filteredOn(line -> line.contains(",answered,")).hasSize(4);
		assertThat(lines).anyMatch(line -> line.contains(",\"'" + busy + "\",") && line.contains(",busy,"));
		assertThat(lines).noneMatch(line -> line.contains(listed));
		var pdf = api.getBytesIn(ADMIN, "/api/campaigns/" + campaign + "/report.pdf", "pt-BR");
		assertThat(pdf.status()).isEqualTo(200);
		assertThat(pdf.contentType()).isEqualTo("application/pdf");
		// Kept for a look (and the README's picture of it): target/campaign-report.pdf.
		java.nio.file.Files.write(java.nio.file.Path.of("target", "campaign-report.pdf"), pdf.body());
		var text = pdfText(pdf.body());
		assertThat(text).contains("Relatório da campanha", "Aviso", "Estado: concluída", "Contatos 7", "Chamadas feitas 6")
			.contains("atendida por pessoa 4 (57.1 %)", "ocupado 1 (14.3 %)", "pulado: lista de não ligar 1 (14.3 %)")
			.contains("Taxa de atendimento por hora");
		assertThat(pdfText(api.getBytesIn(ADMIN, "/api/campaigns/" + campaign + "/report.pdf", "en").body()))
			.contains("Campaign report", "answered by a person 4 (57.1 %)");
		// The attack: another tenant's admin asks for the report and the exports by the campaign's id.
		api.ensureActiveTenant("globex");
		assertThat(api.get("globex-admin", "/api/campaigns/" + campaign + "/report").status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/campaigns/" + campaign + "/attempts.csv").status()).isEqualTo(404);
		assertThat(api.getBytesIn("globex-admin", "/api/campaigns/" + campaign + "/report.pdf", "en").status())
			.isEqualTo(404);
	}

	/**
	 * A scheduled campaign starts by itself when due; once a pause is answered no new call is placed (the calls in
	 * progress finish); resumed, it finishes the rest. The PBX refusing calls is said on the campaign.
	 */
	@Test
	void aScheduledCampaignStartsByItselfAndAPauseStopsNewCallsAtOnce() {
		var tag = "p" + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 6; i++) {
			contact(tag);
		}
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Pausável", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 1,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"}}""".formatted(connection, audio(), tag));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var campaign = created.json().path("id").asString();
		var at = Instant.now().plusSeconds(2);
		var scheduled = api.post(ADMIN, "/api/campaigns/" + campaign + "/schedule", "{\"at\": \"%s\"}".formatted(at));
		assertThat(scheduled.json().path("state").asString()).as(scheduled.body()).isEqualTo("scheduled");

		await().atMost(Duration.ofSeconds(15)).until(() -> attempts(campaign) >= 1);
		var running = api.get(ADMIN, "/api/campaigns/" + campaign).json();
		assertThat(Instant.parse(running.path("startedAt").asString())).isAfterOrEqualTo(at.minusMillis(1));
		var paused = api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/pause");
		assertThat(paused.json().path("state").asString()).isEqualTo("paused");
		var placed = attempts(campaign);
		assertThat(placed).isLessThan(6);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> attempts(campaign) == placed);

		assertThat(api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/resume").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(60)).until(() -> api.get(ADMIN, "/api/campaigns/" + campaign).json().path("state")
			.asString().equals("completed"));
		assertThat(attempts(campaign)).isEqualTo(6);
	}

	/**
	 * Issue 17, points 4 and 5: the calling window. A running campaign whose window is closed today places no call;
	 * opened while it runs (the window is what a running campaign may change), it calls at once; closed again, it
	 * stops placing new calls within a second while the call in progress finishes.
	 */
	@Test
	void aCampaignCallsOnlyWithinItsWindowAsItChangesWhileRunning() {
		var tag = "w" + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 4; i++) {
			contact(tag);
		}
		pbx.defaultScript(CallScript.answerAfter(Duration.ofMillis(100)).thenSays(Duration.ofMillis(600)));
		var today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).getDayOfWeek();
		var otherDays = java.util.Arrays.stream(java.time.DayOfWeek.values())
			.filter(day -> day != today)
			.map(day -> "\"" + day.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT) + "\"")
			.toList();
		var audio = audio();
		var body = """
				{"name": "Janela", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 1,
				 "window": {"days": %s, "from": "00:00", "until": "23:59", "timeZone": "UTC"}}""";
		var created = api.post(ADMIN, "/api/campaigns", body.formatted(connection, audio, tag, otherDays));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var campaign = created.json().path("id").asString();

		assertThat(api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start").json().path("state").asString())
			.isEqualTo("running");
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> attempts(campaign) == 0);

		var allDays = "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]";
		var opened = api.put(ADMIN, "/api/campaigns/" + campaign, body.formatted(connection, audio, tag, allDays));
		assertThat(opened.status()).as(opened.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15)).until(() -> attempts(campaign) >= 1);
		var closed = api.put(ADMIN, "/api/campaigns/" + campaign, body.formatted(connection, audio, tag, otherDays));
		assertThat(closed.status()).as(closed.body()).isEqualTo(200);
		// Within a second of the change, no new call: the one in progress (if any) ends by itself.
		var placed = await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> attempts(campaign),
				count -> count >= 1);
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> attempts(campaign) == placed);
		assertThat(placed).as("the window closed before every contact was called").isLessThan(4);
		assertThat(api.get(ADMIN, "/api/campaigns/" + campaign).json().path("state").asString()).isEqualTo("running");
		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/cancel");
	}

	/** A PBX that refuses every call: each attempt fails, is retried by the rule for failures, and the campaign says so. */
	@Test
	void aPbxRefusingCallsIsSaidOnTheCampaignAndEachContactWaitsForItsRetry() {
		var tag = "r" + UUID.randomUUID().toString().substring(0, 8);
		var number = contact(tag);
		pbx.script(number.substring(1), CallScript.unavailable());
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Recusada", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 1,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"}}""".formatted(connection, audio(), tag));
		var campaign = created.json().path("id").asString();

		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start");

		var noted = await().atMost(Duration.ofSeconds(15)).until(() -> api.get(ADMIN, "/api/campaigns/" + campaign).json(),
				found -> !found.path("dialerNote").isNull());
		assertThat(noted.path("dialerNote").asString()).contains("The PBX refused calls");
		assertThat(noted.path("state").asString()).as("a failure with attempts left keeps it running").isEqualTo("running");
		var contact = context.callAs(INITECH, () -> jdbc.sql(
				"select attempts, state, last_outcome, next_attempt_at from campaign_contacts where campaign_id = ?")
			.param(UUID.fromString(campaign))
			.query((rs, row) -> List.of(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
			.single());
		assertThat(contact.subList(0, 3)).containsExactly(1, "pending", "failed");
		assertThat((Instant) contact.get(3)).as("the failures' rule: an hour later")
			.isAfter(Instant.now().plus(Duration.ofMinutes(55)));
		assertThat(attempts(campaign)).isEqualTo(1);
		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/cancel");
	}

	/**
	 * A PBX at its channel limit refuses the second call of a pass: that attempt fails, the calls decided after it
	 * are taken back (no row, no attempt counted), the campaign says it backs off, and places them after the wait.
	 */
	@Test
	void aPbxAtItsChannelLimitMakesTheCampaignBackOffWithoutSpendingAttempts() {
		var tag = "b" + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 3; i++) {
			contact(tag);
		}
		pbx.channelLimit(1);
		try {
			var created = api.post(ADMIN, "/api/campaigns", """
					{"name": "Limitada", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
					 "contacts": {"tags": ["%s"]}, "concurrency": 3,
					 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
					            "timeZone": "UTC"}}""".formatted(connection, audio(), tag));
			var campaign = created.json().path("id").asString();
			api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start");

			var noted = await().atMost(Duration.ofSeconds(15)).until(() -> api.get(ADMIN, "/api/campaigns/" + campaign)
				.json(), found -> !found.path("dialerNote").isNull());
			assertThat(noted.path("dialerNote").asString()).contains("Allocation failed").contains("placing again in 5 s");
			await().atMost(Duration.ofSeconds(30)).until(() -> outcomes(campaign).values().stream()
				.filter("answered"::equals).count() == 2);
			var contacts = context.callAs(INITECH, () -> jdbc.sql("""
					select c.attempts, (select count(*) from campaign_attempts a where a.campaign_id = c.campaign_id
					  and a.contact_id = c.contact_id), c.last_outcome from campaign_contacts c where c.campaign_id = ?""")
				.param(UUID.fromString(campaign))
				.query((rs, row) -> List.of(rs.getInt(1), rs.getInt(2), String.valueOf(rs.getString(3))))
				.list());
			assertThat(contacts).as("every attempt counted has its row, and none more").allMatch(row -> row.get(0).equals(row.get(1)));
			assertThat(contacts).extracting(row -> row.get(2)).containsExactlyInAnyOrder("answered", "answered", "failed");
			api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/cancel");
		}
		finally {
			pbx.channelLimit(0);
		}
	}

	/**
	 * Issue 17, point 6: a campaign with a menu. Who presses 9 is put on the do-not-call list, hears a goodbye and is
	 * hung up; who presses 1 hears the message again; a key outside the menu (one try here) ends the call with a
	 * goodbye; so does a silence after the menu (also after the message heard again). Every key is kept on its attempt and counted in the report.
	 */
	@Test
	void theMenuOptsOutRepeatsAndEndsByTheKeysPressed() {
		var tag = "i" + UUID.randomUUID().toString().substring(0, 8);
		var optOut = contact(tag);
		var repeat = contact(tag);
		var silent = contact(tag);
		var wrong = contact(tag);
		pbx.script(optOut.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenDtmf("9", Duration.ofMillis(200)));
		pbx.script(repeat.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenDtmf("1", Duration.ofMillis(200)));
		pbx.script(wrong.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenDtmf("5", Duration.ofMillis(200)));
		var audio = audio();
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Menu", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 4,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"},
				 "ivr": {"promptAudioId": "%s", "timeoutSeconds": 1, "maxInvalid": 1,
				         "options": {"1": {"action": "repeat"}, "9": {"action": "opt-out"}, "0": {"action": "hang-up"}}}}"""
			.formatted(connection, audio, tag, audio));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().path("ivr").path("options").path("9").path("action").asString()).isEqualTo("opt-out");
		var campaign = created.json().path("id").asString();

		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start");

		await().atMost(Duration.ofSeconds(60)).until(() -> api.get(ADMIN, "/api/campaigns/" + campaign).json().path("state")
			.asString().equals("completed"));
		var outcomes = outcomes(campaign);
		assertThat(outcomes).containsEntry(optOut, "opted-out").containsEntry(repeat, "answered")
			.containsEntry(silent, "answered").containsEntry(wrong, "answered");
		var listed = api.get(ADMIN, "/api/do-not-call/" + optOut);
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.json().path("source").asString()).isEqualTo("opt-out");
		assertThat(listed.json().path("note").asString()).isEqualTo("opted out in campaign \"Menu\"");
		var keys = context.callAs(INITECH, () -> jdbc.sql("select number, keys from campaign_attempts where campaign_id = ?")
			.param(UUID.fromString(campaign))
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list());
		assertThat(keys).containsExactlyInAnyOrder(Map.entry(optOut, "9"), Map.entry(repeat, "1"), Map.entry(silent, ""),
				Map.entry(wrong, "5"));
		var played = played(campaign);
		assertThat(played).as("the message and the menu to each (twice to the one who pressed 1), a goodbye to one")
			.filteredOn(entry -> entry.contains("/media/audio/initech/" + audio + ".wav"))
			.hasSize(2 * 5);
		assertThat(played).as("the opt-out's confirmation, and goodbye when the one try ran out: the silent one, the "
				+ "wrong key, and the one who heard it again and then said nothing")
			.filteredOn(entry -> entry.endsWith("=sound:vm-goodbye")).hasSize(4);
		var report = api.get(ADMIN, "/api/campaigns/" + campaign + "/report").json();
		assertThat(report.path("byOutcome").path("opted-out").asInt()).isEqualTo(1);
		assertThat(report.path("byKey").path("9").asInt()).isEqualTo(1);
		assertThat(report.path("byKey").path("1").asInt()).isEqualTo(1);
		assertThat(report.path("byKey").path("5").asInt()).isEqualTo(1);
	}

	/**
	 * Issue 17, point 6: a key outside the menu plays the invalid-key prompt and the menu again; a silence the timeout
	 * prompt and the menu again; after the tries allowed (two here, keys and silences together) the call says
	 * goodbye. Both are counted on the attempt.
	 */
	@Test
	void aWrongKeyOrASilenceGetsItsPromptAndTheMenuAgainUntilTheTriesRunOut() {
		var tag = "t" + UUID.randomUUID().toString().substring(0, 8);
		var wrong = contact(tag);
		var silent = contact(tag);
		pbx.script(wrong.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenDtmf("7", Duration.ofMillis(200)));
		pbx.script(silent.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenSays(Duration.ofMillis(700)));
		var message = audio();
		var menu = audio();
		var invalid = audio();
		var timeout = audio();
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Tentativas", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 2,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"},
				 "ivr": {"promptAudioId": "%s", "timeoutSeconds": 1, "maxInvalid": 2, "invalidAudioId": "%s",
				         "timeoutAudioId": "%s", "options": {"1": {"action": "repeat"}}}}"""
			.formatted(connection, message, tag, menu, invalid, timeout));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var campaign = created.json().path("id").asString();
		// The prompts are in use: the library refuses to delete them, naming the campaign.
		var refused = api.delete(ADMIN, "/api/audio/" + timeout);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.body()).contains("Tentativas");

		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start");

		await().atMost(Duration.ofSeconds(60)).until(() -> api.get(ADMIN, "/api/campaigns/" + campaign).json().path("state")
			.asString().equals("completed"));
		var tries = context.callAs(INITECH, () -> jdbc.sql(
				"select number, keys, invalid_keys, timeouts from campaign_attempts where campaign_id = ?")
			.param(UUID.fromString(campaign))
			.query((rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)))
			.list());
		// The wrong key: one invalid try, then a silence after the menu again; the silent one: two silences.
		assertThat(tries).containsExactlyInAnyOrder(List.of(wrong, "7", 1, 1), List.of(silent, "", 0, 2));
		var played = played(campaign);
		assertThat(media(played, wrong, invalid)).as("the invalid-key prompt once").isEqualTo(1);
		assertThat(media(played, wrong, timeout)).as("the silence after it is the last try: goodbye, no prompt")
			.isZero();
		assertThat(media(played, wrong, menu)).as("the menu after the message and after the prompt").isEqualTo(2);
		assertThat(media(played, silent, timeout)).as("one timeout prompt: the second silence is the last try")
			.isEqualTo(1);
		assertThat(media(played, silent, menu)).isEqualTo(2);
		assertThat(media(played, silent, invalid)).isZero();
		assertThat(played).filteredOn(entry -> entry.endsWith("=sound:vm-goodbye")).hasSize(2);
	}

	/**
	 * Issue 17, point 7: each answered call is judged by talk detection. A person's short "Alô?" hears the message; a
	 * machine's long greeting is hung up on (outcome machine, retried by the machine rule, which allows one attempt
	 * here) or, on a campaign that leaves messages, gets the message once the greeting ended (outcome voicemail);
	 * silence is unknown and hears the message. The report and the export say so.
	 */
	@Test
	void machinesAreHungUpOnOrLeftTheMessageAfterTheirGreeting() {
		var tag = "m" + UUID.randomUUID().toString().substring(0, 8);
		var person = contact(tag);
		var machine = contact(tag);
		var silent = contact(tag);
		pbx.script(person.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenSays(Duration.ofMillis(900)));
		pbx.script(machine.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenSays(Duration.ofMillis(4500)));
		pbx.script(silent.substring(1), CallScript.answerAfter(Duration.ofMillis(100)));
		var message = audio();
		var hangingUp = machineCampaign("Secretárias", message, tag, "hang-up");
		var leaving = machineCampaign("Recados", message, tag, "leave-message");

		api.postEmpty(ADMIN, "/api/campaigns/" + hangingUp + "/start");
		await().atMost(Duration.ofSeconds(60)).until(() -> api.get(ADMIN, "/api/campaigns/" + hangingUp).json()
			.path("state").asString().equals("completed"));
		api.postEmpty(ADMIN, "/api/campaigns/" + leaving + "/start");
		await().atMost(Duration.ofSeconds(60)).until(() -> api.get(ADMIN, "/api/campaigns/" + leaving).json()
			.path("state").asString().equals("completed"));

		assertThat(outcomes(hangingUp)).containsEntry(person, "answered").containsEntry(machine, "machine")
			.containsEntry(silent, "answered");
		assertThat(outcomes(leaving)).containsEntry(person, "answered").containsEntry(machine, "voicemail")
			.containsEntry(silent, "answered");
		assertThat(answeredBy(hangingUp)).containsEntry(person, "human").containsEntry(machine, "machine")
			.containsEntry(silent, "unknown");
		assertThat(media(played(hangingUp), machine, message)).as("nothing is played to a machine hung up on").isZero();
		assertThat(media(played(leaving), machine, message)).as("the message, once, to the machine").isEqualTo(1);
		assertThat(media(played(hangingUp), person, message)).isEqualTo(1);
		var report = api.get(ADMIN, "/api/campaigns/" + hangingUp + "/report").json();
		assertThat(report.path("byOutcome").path("machine").asInt()).isEqualTo(1);
		assertThat(report.path("byOutcome").path("answered").asInt()).isEqualTo(2);
		assertThat(api.get(ADMIN, "/api/campaigns/" + leaving + "/report").json().path("byOutcome").path("voicemail")
			.asInt()).isEqualTo(1);
		var csv = api.get(ADMIN, "/api/campaigns/" + hangingUp + "/attempts.csv").body();
		assertThat(csv.lines()).anyMatch(line -> line.contains(",machine,") && line.contains(machine));
	}

	/**
	 * Issue 17, points 6 and 11: every attempt that reaches a person is a call record of its own (direction campaign,
	 * on the contact). A key of the menu hands the person to a queue (2) or to a user (3): they wait as an inbound
	 * call naming the campaign, on the contact's ticket, an agent's phone rings and takes them, and the campaign's
	 * own record ends as transferred. The ticket's timeline says which campaign the call came from.
	 */
	@Test
	void aKeyHandsThePersonToAQueueOrAUserAndTheCallLandsOnTheTicketNamingTheCampaign() {
		var agent = api.get(ADMIN, "/api/tenants/me").json().path("userId").asString();
		var extension = "21" + VoxdeskApi.freshSubscriberDigits().substring(6);
		assertThat(api.put(ADMIN, "/api/me/extension", "{\"extension\": \"%s\", \"active\": true}".formatted(extension))
			.status()).isEqualTo(200);
		assertThat(api.put(ADMIN, "/api/me/presence", "{\"state\": \"available\"}").status()).isEqualTo(200);
		pbx.script(extension, CallScript.answerAfter(Duration.ofMillis(200)));
		var queue = api.post(ADMIN, "/api/queues", "{\"name\": \"Campanhas %s\", \"memberIds\": [\"%s\"]}"
			.formatted(UUID.randomUUID().toString().substring(0, 8), agent)).json().path("id").asString();
		assertThat(api.put(ADMIN, "/api/queues/" + queue + "/call-routing", """
				{"strategy": "ring-all", "ringSeconds": 20, "maxWaitSeconds": 60, "wrapUpSeconds": 0,
				 "overflow": {"target": "hang-up"}}""").status()).isEqualTo(200);
		var tag = "h" + UUID.randomUUID().toString().substring(0, 8);
		var toQueue = contact(tag);
		var toUser = contact(tag);
		var listens = contact(tag);
		pbx.script(toQueue.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenDtmf("2", Duration.ofMillis(200))
			.thenHangUpAfter(Duration.ofSeconds(5)));
		pbx.script(toUser.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenDtmf("3", Duration.ofMillis(200))
			.thenHangUpAfter(Duration.ofSeconds(5)));
		pbx.script(listens.substring(1), CallScript.answerAfter(Duration.ofMillis(100)).thenSays(Duration.ofMillis(800)));
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Retorno", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 1,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"},
				 "ivr": {"timeoutSeconds": 1, "maxInvalid": 1,
				         "options": {"2": {"action": "transfer-to-queue", "queueId": "%s"},
				                     "3": {"action": "transfer-to-user", "userId": "%s"}}}}"""
			.formatted(connection, audio(), tag, queue, agent));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().path("ivr").path("options").path("2").path("queue").asString()).isEqualTo(queue);
		var campaign = created.json().path("id").asString();

		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start");

		await().atMost(Duration.ofSeconds(90)).until(() -> api.get(ADMIN, "/api/campaigns/" + campaign).json().path("state")
			.asString().equals("completed"));
		assertThat(outcomes(campaign)).containsEntry(toQueue, "answered").containsEntry(toUser, "answered")
			.containsEntry(listens, "answered");
		for (var number : List.of(toQueue, toUser)) {
			var records = callRecords(number);
			assertThat(records).as(number).hasSize(2);
			var own = records.stream().filter(row -> row.get("direction").equals("campaign")).findFirst().orElseThrow();
			var waited = records.stream().filter(row -> row.get("direction").equals("inbound")).findFirst().orElseThrow();
			assertThat(own).containsEntry("status", "TRANSFERRED").containsEntry("campaign", "Retorno")
				.containsEntry("agent", "null");
			assertThat(own.get("contact")).isNotEqualTo("null");
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(callRecords(number)).anyMatch(row ->
					row.get("direction").equals("inbound") && row.get("status").equals("COMPLETED")));
			waited = callRecords(number).stream().filter(row -> row.get("direction").equals("inbound")).findFirst()
				.orElseThrow();
			assertThat(waited).containsEntry("campaign", "Retorno").containsEntry("agent", agent)
				.containsEntry("contact", own.get("contact")).containsEntry("transferredFrom", own.get("id"));
			var ticket = waited.get("ticket");
			assertThat(ticket).isNotEqualTo("null");
			var timeline = api.get(ADMIN, "/api/tickets/" + ticket + "/timeline").body();
			assertThat(timeline).contains("handed over by campaign \\\"Retorno\\\"");
		}
		var queued = callRecords(toQueue).stream().filter(row -> row.get("direction").equals("inbound")).findFirst()
			.orElseThrow();
		assertThat(queued.get("queue")).isEqualTo(queue);
		var routedToUser = callRecords(toUser).stream().filter(row -> row.get("direction").equals("inbound")).findFirst()
			.orElseThrow();
		assertThat(routedToUser.get("routedUser")).isEqualTo(agent);
		assertThat(callRecords(listens)).singleElement().satisfies(row -> {
			assertThat(row).containsEntry("direction", "campaign").containsEntry("status", "COMPLETED")
				.containsEntry("ticket", "null");
		});
		assertThat(pbx.dialled()).as("the agent's phone rang for both").filteredOn(endpoint -> endpoint.equals("PJSIP/" + extension))
			.hasSizeGreaterThanOrEqualTo(2);
	}

	/** The call records of a number, as the database has them. */
	List<Map<String, String>> callRecords(String number) {
		return context.callAs(INITECH, () -> jdbc.sql("""
				select id, direction, status, campaign, agent_id, contact_id, ticket_id, transferred_from, queue_id,
				       routed_user from calls where number = ?""")
			.param(number)
			.query((rs, row) -> {
				var values = new HashMap<String, String>();
				values.put("id", String.valueOf(rs.getObject("id")));
				values.put("direction", rs.getString("direction"));
				values.put("status", rs.getString("status"));
				values.put("campaign", String.valueOf(rs.getString("campaign")));
				values.put("agent", String.valueOf(rs.getString("agent_id")));
				values.put("contact", String.valueOf(rs.getObject("contact_id")));
				values.put("ticket", String.valueOf(rs.getObject("ticket_id")));
				values.put("transferredFrom", String.valueOf(rs.getObject("transferred_from")));
				values.put("queue", String.valueOf(rs.getObject("queue_id")));
				values.put("routedUser", String.valueOf(rs.getString("routed_user")));
				return (Map<String, String>) values;
			})
			.list());
	}

	/**
	 * Issue 17, point 10: the live monitor's feed. A tenant admin subscribed to {@code /topic/tenants/initech/campaigns}
	 * sees the campaign's figures count up while it runs, within a second of each change, and its final figures once
	 * it completed. The attack: another tenant's admin subscribes to initech's campaign feed, and is refused.
	 */
	@Test
	void theMonitorFeedCountsUpLiveForTheTenantsAdminsOnly() throws Exception {
		var tag = "f" + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 4; i++) {
			contact(tag);
		}
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Monitorada", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 1,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"}}""".formatted(connection, audio(), tag));
		var campaign = created.json().path("id").asString();
		var feed = new java.util.concurrent.ConcurrentLinkedQueue<JsonNode>();
		stomp(ADMIN, new java.util.concurrent.CopyOnWriteArrayList<>()).subscribe("/topic/tenants/initech/campaigns",
				collect(feed));
		api.ensureActiveTenant("globex");
		var outsider = new java.util.concurrent.CopyOnWriteArrayList<String>();
		var globex = stomp("globex-admin", outsider);
		globex.subscribe("/topic/tenants/initech/campaigns", collect(new java.util.concurrent.ConcurrentLinkedQueue<>()));

		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start");

		await().atMost(Duration.ofSeconds(60)).until(() -> feed.stream()
			.anyMatch(report -> report.path("campaign").asString().equals(campaign)
					&& report.path("state").asString().equals("completed")));
		var ours = feed.stream().filter(report -> report.path("campaign").asString().equals(campaign)).toList();
		assertThat(ours.getFirst().path("name").asString()).isEqualTo("Monitorada");
		var answered = ours.stream().map(report -> report.path("byOutcome").path("answered").asInt()).toList();
		assertThat(answered).as("the answered count goes up one call at a time, never down").isSorted()
			.contains(1, 2, 3, 4);
		assertThat(ours).as("a call in progress is seen live").anyMatch(report -> report.path("inProgress").asInt() == 1);
		assertThat(ours.getLast().path("callsLastMinute").asInt()).isEqualTo(4);
		await().until(() -> !globex.isConnected());
		assertThat(outsider).isNotEmpty().allMatch(error -> error.contains("may not subscribe") || error.startsWith("closed:"));
	}

	StompSession stomp(String user, List<String> errors) throws Exception {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new JacksonJsonMessageConverter());
		var headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + KeycloakTestServer.accessToken(user));
		var session = client.connectAsync("ws://127.0.0.1:" + port + "/ws", new WebSocketHttpHeaders(), headers,
				new StompSessionHandlerAdapter() {

					@Override
					public void handleFrame(StompHeaders frame, @Nullable Object payload) {
						errors.add(String.valueOf(frame.getFirst("message")));
					}

					@Override
					public void handleTransportError(StompSession failed, Throwable exception) {
						errors.add("closed: " + exception.getClass().getSimpleName());
					}
				})
			.get(10, TimeUnit.SECONDS);
		sessions.add(session);
		return session;
	}

	static StompFrameHandler collect(java.util.Queue<JsonNode> into) {
		return new StompFrameHandler() {

			@Override
			public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
				return JsonNode.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				into.add((JsonNode) payload);
			}
		};
	}

	final List<StompSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

	@AfterEach
	void disconnect() {
		sessions.stream().filter(StompSession::isConnected).forEach(StompSession::disconnect);
	}

	String machineCampaign(String name, String message, String tag, String machines) {
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "%s", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": 3, "machines": "%s",
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"},
				 "retries": {"busy": {"maxAttempts": 1, "delayMinutes": 1}, "noAnswer": {"maxAttempts": 1, "delayMinutes": 1},
				             "failed": {"maxAttempts": 1, "delayMinutes": 1}, "machine": {"maxAttempts": 1, "delayMinutes": 1}}}"""
			.formatted(name, connection, message, tag, machines));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	/** How many times {@code audio} was played to the campaign's calls to {@code number}. */
	int media(List<String> played, String number, String audio) {
		var channels = context.callAs(INITECH, () -> jdbc.sql("select id from campaign_attempts where number = ?")
			.param(number)
			.query(UUID.class)
			.list()).stream().map(id -> "channel:vx-k-" + id + "=").toList();
		return (int) played.stream()
			.filter(entry -> channels.stream().anyMatch(entry::startsWith))
			.filter(entry -> entry.contains("/media/audio/initech/" + audio + ".wav"))
			.count();
	}

	/** Who answered each contact's last attempt, as talk detection judged it. */
	Map<String, String> answeredBy(String campaign) {
		var judged = new HashMap<String, String>();
		context.runAs(INITECH, () -> jdbc.sql("select number, answered_by from campaign_attempts where campaign_id = ?")
			.param(UUID.fromString(campaign))
			.query((rs, row) -> judged.put(rs.getString(1), String.valueOf(rs.getString(2))))
			.list());
		return judged;
	}

	/** A PDF's text, its runs of spaces made one. */
	static String pdfText(byte[] pdf) throws java.io.IOException {
		try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
			return new org.apache.pdfbox.text.PDFTextStripper().getText(document).replaceAll("[ \\t]+", " ");
		}
	}

	/** What the PBX played on this campaign's calls, as {@code channel:vx-k-<attempt>=<media>}. */
	List<String> played(String campaign) {
		var channels = context.callAs(INITECH, () -> jdbc.sql("select id from campaign_attempts where campaign_id = ?")
			.param(UUID.fromString(campaign))
			.query(UUID.class)
			.list()).stream().map(id -> "channel:vx-k-" + id + "=").toList();
		return pbx.played().stream().filter(entry -> channels.stream().anyMatch(entry::startsWith)).toList();
	}

	int attempts(String campaign) {
		return context.callAs(INITECH, () -> jdbc.sql("select count(*) from campaign_attempts where campaign_id = ?")
			.param(UUID.fromString(campaign))
			.query(Integer.class)
			.single());
	}

	/** Each contact's number and how its last attempt (or the do-not-call list) ended it. */
	Map<String, String> outcomes(String campaign) {
		var outcomes = new HashMap<String, String>();
		context.runAs(INITECH, () -> jdbc.sql("select number, last_outcome from campaign_contacts where campaign_id = ?")
			.param(UUID.fromString(campaign))
			.query((rs, row) -> outcomes.put(rs.getString(1), String.valueOf(rs.getString(2))))
			.list());
		return outcomes;
	}

	/** The most attempts of the campaign that were in progress at the same moment. */
	int maxAtOnce(String campaign) {
		record Span(Timestamp from, Timestamp until) {
		}
		List<Span> spans = context.callAs(INITECH,
				() -> jdbc.sql("select placed_at, ended_at from campaign_attempts where campaign_id = ?")
					.param(UUID.fromString(campaign))
					.query((rs, row) -> new Span(rs.getTimestamp(1), rs.getTimestamp(2)))
					.list());
		assertThat(spans).as("one attempt per dialled contact").hasSize(6);
		int max = 0;
		for (var span : spans) {
			var at = span.from();
			var open = (int) spans.stream().filter(other -> !other.from().after(at) && other.until().after(at)).count();
			max = Math.max(max, open);
		}
		return max;
	}
}

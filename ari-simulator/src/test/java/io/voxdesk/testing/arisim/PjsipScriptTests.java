package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Scripted PJSIP numbers as the connector sees them (one WebSocket per app, subscribeAll=false): the events and
 * causes of every call script, the admin HTTP API, and the WebSocket life cycle (drop, no replay, replacement).
 */
class PjsipScriptTests {

	static final String APP = "voxdesk";

	AriSimulator simulator;

	EventSocket events;

	@BeforeEach
	void start() {
		// Ten times faster than real time: a scripted "2 s" of ringing takes 200 ms.
		simulator = AriSimulator.start(AriSimulatorSettings.defaults().withTimeScale(0.1));
		events = EventSocket.open(simulator, APP, false);
	}

	@AfterEach
	void stop() {
		if (!events.isClosed()) {
			events.close();
		}
		simulator.close();
	}

	@Test
	void answeredCallRingsThenEntersStasisAndEndsWhenHungUpOverAri() {
		simulator.script("1001", CallScript.answerAfter(Duration.ofSeconds(2)));

		Http.Result originate = originate("PJSIP/1001", "&appArgs=outbound,call-42&callerId=%22Agent%22%20%3C1000%3E");

		assertThat(originate.status()).isEqualTo(200);
		JsonNode channel = originate.json();
		assertThat(channel.get("state").asString()).isEqualTo("Down");
		assertThat(channel.get("name").asString()).matches("PJSIP/1001-[0-9a-f]{8}");
		assertThat(channel.get("dialplan").get("app_name").asString()).isEqualTo("AppDial2");
		assertThat(channel.get("caller").get("number").asString()).isEqualTo("1000");
		String id = channel.get("id").asString();
		assertThat(id).matches("\\d+\\.\\d+");
		JsonNode stasisStart = events.awaitType("StasisStart", id);
		assertThat(stasisStart.get("args").toString()).isEqualTo("[\"outbound\",\"call-42\"]");
		assertThat(stasisStart.get("channel").get("state").asString()).isEqualTo("Up");
		assertThat(stasisStart.get("application").asString()).isEqualTo(APP);
		assertThat(stasisStart.get("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
		assertThat(simulator.channels()).extracting(SimChannel::id, SimChannel::state, SimChannel::endpoint)
			.containsExactly(tuple(id, "Up", "PJSIP/1001"));

		assertThat(Http.ari(simulator, "DELETE", "/channels/" + id).status()).isEqualTo(204);

		JsonNode destroyed = events.awaitType("ChannelDestroyed", id);
		assertThat(destroyed.get("cause").asInt()).isEqualTo(16);
		assertThat(destroyed.get("cause_txt").asString()).isEqualTo("Normal Clearing");
		assertThat(summary(id)).containsExactly("ChannelDialplan AppDial2", "ChannelCallerId", "ChannelConnectedLine",
				"Dial ", "ChannelStateChange Ringing", "Dial RINGING", "ChannelStateChange Up", "Dial ANSWER",
				"ChannelVarset STASISSTATUS=", "StasisStart", "ChannelHangupRequest 32 soft", "StasisEnd",
				"ChannelVarset STASISSTATUS=SUCCESS", "ChannelDestroyed 16");
		assertThat(events.types()).doesNotContain("ChannelCreated", "DeviceStateChanged");
		assertThat(simulator.dialled()).containsExactly("PJSIP/1001");
		assertThat(Http.ari(simulator, "GET", "/channels/" + id).status()).isEqualTo(404);
	}

	@Test
	void farEndHangsUpAfterTalking() {
		simulator.script("1002", CallScript.answerAfter(Duration.ZERO).thenHangUpAfter(Duration.ofSeconds(1)));

		String id = originate("PJSIP/1002", "").json().get("id").asString();

		assertThat(events.awaitType("ChannelDestroyed", id).get("cause").asInt()).isEqualTo(16);
		assertThat(summary(id)).containsExactly("ChannelDialplan AppDial2", "Dial ", "ChannelStateChange Up",
				"Dial ANSWER", "ChannelVarset STASISSTATUS=", "StasisStart", "ChannelHangupRequest 16",
				"StasisEnd", "ChannelVarset STASISSTATUS=SUCCESS", "ChannelDestroyed 16");
	}

	@Test
	void busyNumberIsRejectedLikeA486() {
		simulator.script("5548999990000", CallScript.busy());

		Http.Result originate = originate("PJSIP/5548999990000@trunk", "");

		assertThat(originate.status()).isEqualTo(200);
		String id = originate.json().get("id").asString();
		assertThat(originate.json().get("name").asString()).startsWith("PJSIP/trunk-");
		JsonNode destroyed = events.awaitType("ChannelDestroyed", id);
		assertThat(destroyed.get("cause_txt").asString()).isEqualTo("User busy");
		assertThat(summary(id)).containsExactly("ChannelDialplan AppDial2", "Dial ", "ChannelHangupRequest 17",
				"Dial BUSY", "ChannelDestroyed 17");
		assertThat(simulator.dialled()).containsExactly("PJSIP/5548999990000@trunk");
	}

	@Test
	void congestedTrunkRejectsLikeA503() {
		simulator.script("5548999990001", CallScript.congestion());

		String id = originate("PJSIP/5548999990001@trunk", "").json().get("id").asString();

		JsonNode destroyed = events.awaitType("ChannelDestroyed", id);
		assertThat(destroyed.get("cause_txt").asString()).isEqualTo("Circuit/channel congestion");
		assertThat(summary(id)).containsExactly("ChannelDialplan AppDial2", "Dial ", "ChannelHangupRequest 34",
				"Dial CONGESTION", "ChannelDestroyed 34");
	}

	@Test
	void unansweredCallEndsAtTheOriginateTimeoutWithCause19() {
		simulator.script("1003", CallScript.noAnswer());

		String id = originate("PJSIP/1003", "&timeout=3").json().get("id").asString();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(channelState(id)).isEqualTo("Ringing"));
		JsonNode destroyed = events.awaitType("ChannelDestroyed", id);
		assertThat(destroyed.get("cause_txt").asString()).isEqualTo("User alerting, no answer");
		assertThat(summary(id)).containsExactly("ChannelDialplan AppDial2", "Dial ", "ChannelStateChange Ringing",
				"Dial RINGING", "ChannelDestroyed 19");
	}

	@Test
	void unavailableNumberAndUnknownTechnologyFailToAllocate() {
		simulator.script("1004", CallScript.unavailable());

		Http.Result unavailable = originate("PJSIP/1004", "");
		Http.Result unknownTechnology = originate("DAHDI/1", "");

		assertThat(unavailable.status()).isEqualTo(500);
		assertThat(unavailable.text()).isEqualTo("{\"error\":\"Allocation failed\"}");
		assertThat(unknownTechnology.status()).isEqualTo(500);
		assertThat(unknownTechnology.text()).isEqualTo("{\"error\":\"Allocation failed\"}");
		assertThat(simulator.channels()).isEmpty();
		assertThat(simulator.dialled()).containsExactly("PJSIP/1004", "DAHDI/1");
	}

	@Test
	void farEndSendsScriptedDtmfAndJavaControlsPlayTheFarEnd() {
		simulator.script("1005", CallScript.answerAfter(Duration.ZERO).thenDtmf("12#", Duration.ofSeconds(1)));
		String id = originate("PJSIP/1005", "").json().get("id").asString();
		events.awaitType("StasisStart", id);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(digits(id)).isEqualTo("12#"));
		simulator.sendDtmf(id, '9');
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(digits(id)).isEqualTo("12#9"));
		simulator.hangUpFromFarEnd(id, 17);

		assertThat(events.awaitType("ChannelDestroyed", id).get("cause").asInt()).isEqualTo(17);
		assertThatThrownBy(() -> simulator.hangUpFromFarEnd(id, 16)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void numbersWithoutScriptAnswerAfter200MsByDefault() {
		String id = originate("PJSIP/unscripted", "").json().get("id").asString();

		events.awaitType("StasisStart", id);
		assertThat(summary(id)).contains("ChannelStateChange Ringing", "ChannelStateChange Up");
		simulator.defaultScript(CallScript.busy());
		String busy = originate("SIP/other", "").json().get("id").asString();
		assertThat(events.awaitType("ChannelDestroyed", busy).get("cause").asInt()).isEqualTo(17);
	}

	@Test
	void bridgedCallsRecordAndLeaveTheBridgeBeforeStasisEnd() {
		String customer = originate("PJSIP/5548999990002@trunk", "").json().get("id").asString();
		String agent = originate("PJSIP/1006", "").json().get("id").asString();
		events.awaitType("StasisStart", customer);
		events.awaitType("StasisStart", agent);

		JsonNode bridge = Http.ari(simulator, "POST", "/bridges?type=mixing&name=call-7").json();
		String bridgeId = bridge.get("id").asString();
		assertThat(bridge.get("technology").asString()).isEqualTo("simple_bridge");
		assertThat(Http.ari(simulator, "POST", "/bridges/" + bridgeId + "/addChannel?channel=" + customer + "," + agent)
			.status()).isEqualTo(204);
		events.awaitType("ChannelEnteredBridge", agent);
		assertThat(simulator.channels()).extracting(SimChannel::bridgeId).containsOnly(bridgeId);
		Http.Result recording = Http.ari(simulator, "POST", "/bridges/" + bridgeId + "/record?name=call-7&format=wav");
		assertThat(recording.status()).isEqualTo(201);
		assertThat(recording.json().get("state").asString()).isEqualTo("queued");
		assertThat(recording.json().get("target_uri").asString()).isEqualTo("bridge:" + bridgeId);

		simulator.hangUpFromFarEnd(customer, 16);

		events.awaitType("ChannelDestroyed", customer);
		assertThat(summary(customer)).endsWith("ChannelHangupRequest 16", "ChannelVarset BRIDGEPEER=",
				"ChannelLeftBridge", "StasisEnd", "ChannelVarset STASISSTATUS=SUCCESS", "ChannelDestroyed 16");
		assertThat(Http.ari(simulator, "GET", "/bridges/" + bridgeId).json().get("channels").size()).isEqualTo(1);
		assertThat(Http.ari(simulator, "POST", "/recordings/live/call-7/stop").status()).isEqualTo(204);
		JsonNode finished = events.awaitEvent(event -> "RecordingFinished".equals(event.get("type").asString()));
		assertThat(finished.get("recording").get("duration").isIntegralNumber()).isTrue();
		Http.Result file = Http.ari(simulator, "GET", "/recordings/stored/call-7/file");
		assertThat(file.status()).isEqualTo(200);
		assertThat(file.header("content-type")).isEqualTo("audio/wav");
		assertThat(new String(file.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
		assertThat(Http.ari(simulator, "DELETE", "/bridges/" + bridgeId).status()).isEqualTo(204);
		events.awaitEvent(event -> "BridgeDestroyed".equals(event.get("type").asString()));
		assertThat(simulator.channels()).extracting(SimChannel::bridgeId).containsOnlyNulls();
	}

	@Test
	void redirectTakesTheChannelOutOfStasis() {
		String id = originate("PJSIP/1007", "").json().get("id").asString();
		events.awaitType("StasisStart", id);

		assertThat(Http.ari(simulator, "POST", "/channels/" + id + "/redirect?endpoint=PJSIP/1008").status())
			.isEqualTo(204);

		events.awaitType("ChannelDestroyed", id);
		assertThat(summary(id)).endsWith("StasisEnd", "ChannelVarset STASISSTATUS=SUCCESS", "ChannelHangupRequest 16",
				"ChannelDestroyed 16");
	}

	/**
	 * What a real Asterisk did when Voxdesk redirected a Local channel: 204, then only a NOTICE in its log (chan_local
	 * has no transfer callback), and the channel stays in Stasis. The checks before the 204 come from
	 * res/ari/resource_channels.c.
	 */
	@Test
	void redirectOnALocalChannelIsAcceptedAndDoesNothingLikeAsterisk() {
		String id = originate("Local/agent@scenarios", "").json().get("id").asString();
		events.awaitType("StasisStart", id);
		String name = simulator.channels().stream().filter(channel -> channel.id().equals(id)).findFirst().orElseThrow()
			.name();

		assertThat(Http.ari(simulator, "POST", "/channels/" + id + "/redirect?endpoint=Local/1008@default").status())
			.isEqualTo(204);

		assertThat(simulator.notices())
			.containsExactly("app_control_redirect: Unsupported transfer requested on channel '" + name + "'");
		assertThat(simulator.channels()).filteredOn(channel -> channel.id().equals(id))
			.singleElement()
			.extracting(SimChannel::state)
			.isEqualTo("Up");
		assertThat(Http.ari(simulator, "POST", "/channels/" + id + "/continue").status()).as("still in Stasis")
			.isEqualTo(204);

		String other = originate("Local/agent@scenarios", "").json().get("id").asString();
		events.awaitType("StasisStart", other);
		Http.Result wrongTech = Http.ari(simulator, "POST", "/channels/" + other + "/redirect?endpoint=PJSIP/1008");
		assertThat(wrongTech.status()).isEqualTo(422);
		assertThat(wrongTech.json().get("message").asString())
			.isEqualTo("Endpoint technology 'PJSIP' does not match channel technology 'Local'");
		Http.Result noResource = Http.ari(simulator, "POST", "/channels/" + other + "/redirect?endpoint=Local");
		assertThat(noResource.status()).isEqualTo(422);
		assertThat(noResource.json().get("message").asString())
			.isEqualTo("Endpoint parameter 'Local' does not contain tech/resource");
	}

	@Test
	void bridgeMusicOnHoldPlaysUntilStoppedAndStoppingSilenceIsAConflict() {
		String bridge = Http.ari(simulator, "POST", "/bridges?type=mixing").json().get("id").asString();

		assertThat(Http.ari(simulator, "POST", "/bridges/" + bridge + "/moh?mohClass=jazz").status()).isEqualTo(204);
		assertThat(simulator.bridgeMusic(bridge)).hasValue("jazz");
		assertThat(Http.ari(simulator, "DELETE", "/bridges/" + bridge + "/moh").status()).isEqualTo(204);
		assertThat(simulator.bridgeMusic(bridge)).isEmpty();

		Http.Result again = Http.ari(simulator, "DELETE", "/bridges/" + bridge + "/moh");
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.json().get("message").asString()).isEqualTo("Bridge isn't playing music");
		assertThat(Http.ari(simulator, "POST", "/bridges/nobridge/moh").status()).isEqualTo(404);
	}

	@Test
	void adminApiScriptsNumbersAndPlaysTheFarEnd() {
		assertThat(admin("PUT", "/_sim/scripts/2000", "{\"kind\":\"busy\"}").status()).isEqualTo(204);
		assertThat(admin("PUT", "/_sim/scripts/2001",
				"{\"kind\":\"answer\",\"ringingMs\":800,\"hangUpAfterMs\":null}").status())
			.isEqualTo(204);
		assertThat(admin("PUT", "/_sim/scripts/2002", "{\"kind\":\"sometimes\"}").status()).isEqualTo(400);
		assertThat(admin("GET", "/_sim/scripts", null).json().get("numbers").get("2001").get("ringingMs").asInt())
			.isEqualTo(800);

		String busy = originate("PJSIP/2000", "").json().get("id").asString();
		String answered = originate("PJSIP/2001", "").json().get("id").asString();

		assertThat(events.awaitType("ChannelDestroyed", busy).get("cause").asInt()).isEqualTo(17);
		events.awaitType("StasisStart", answered);
		JsonNode listed = admin("GET", "/_sim/channels", null).json();
		assertThat(listed.size()).isEqualTo(1);
		assertThat(listed.get(0).get("id").asString()).isEqualTo(answered);
		assertThat(listed.get(0).get("state").asString()).isEqualTo("Up");
		assertThat(listed.get(0).get("endpoint").asString()).isEqualTo("PJSIP/2001");
		assertThat(admin("POST", "/_sim/channels/" + answered + "/dtmf?digits=5", null).status()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(digits(answered)).isEqualTo("5"));
		assertThat(admin("POST", "/_sim/channels/" + answered + "/hangup?cause=34", null).status()).isEqualTo(204);
		assertThat(events.awaitType("ChannelDestroyed", answered).get("cause").asInt()).isEqualTo(34);
		assertThat(admin("POST", "/_sim/channels/" + answered + "/hangup", null).status()).isEqualTo(404);
		assertThat(admin("GET", "/_sim/dialled", null).json().toString()).isEqualTo("[\"PJSIP/2000\",\"PJSIP/2001\"]");
		assertThat(admin("DELETE", "/_sim/scripts/2000", null).status()).isEqualTo(204);
		assertThat(admin("PUT", "/_sim/default-script", "{\"kind\":\"congestion\"}").status()).isEqualTo(204);
		JsonNode scripts = admin("GET", "/_sim/scripts", null).json();
		assertThat(scripts.get("numbers").has("2000")).isFalse();
		assertThat(scripts.get("default").get("kind").asString()).isEqualTo("congestion");
		String congested = originate("PJSIP/2000", "").json().get("id").asString();
		assertThat(events.awaitType("ChannelDestroyed", congested).get("cause").asInt()).isEqualTo(34);
	}

	@Test
	void droppedWebSocketLosesTheEventsOfItsAbsenceButCallsStayUp() {
		simulator.script("3001", CallScript.answerAfter(Duration.ZERO).thenHangUpAfter(Duration.ofSeconds(1)));
		String survivor = originate("PJSIP/3000", "").json().get("id").asString();
		String ending = originate("PJSIP/3001", "").json().get("id").asString();
		events.awaitType("StasisStart", survivor);
		events.awaitType("StasisStart", ending);

		simulator.dropWebSockets();

		await().atMost(Duration.ofSeconds(5)).until(events::isClosed);
		assertThat(Http.ari(simulator, "GET", "/applications/" + APP).status()).isEqualTo(404);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(simulator.channels()).extracting(SimChannel::id).containsExactly(survivor));
		EventSocket reconnected = EventSocket.open(simulator, APP, false);
		try {
			assertThat(Http.ari(simulator, "GET", "/applications/" + APP).status()).isEqualTo(200);
			assertThat(Http.ari(simulator, "GET", "/channels/" + ending).status()).isEqualTo(404);
			assertThat(Http.ari(simulator, "POST", "/channels/" + survivor + "/play?media=sound:beep").status())
				.isEqualTo(201);
			reconnected.awaitEvent(event -> "PlaybackFinished".equals(event.get("type").asString()));
			assertThat(Http.ari(simulator, "DELETE", "/channels/" + survivor).status()).isEqualTo(204);
			reconnected.awaitType("ChannelDestroyed", survivor);
			// Nothing of the call that ended while no socket was connected is replayed.
			assertThat(reconnected.events()).noneMatch(event -> event.toString().contains(ending));
			assertThat(reconnected.types()).containsExactly("PlaybackStarted", "PlaybackFinished",
					"ChannelHangupRequest", "StasisEnd", "ChannelVarset", "ChannelDestroyed");
		}
		finally {
			reconnected.close();
		}
	}

	@Test
	void secondSocketForTheAppReplacesTheFirstWithoutClosingIt() {
		EventSocket second = EventSocket.open(simulator, APP, false);
		try {
			events.awaitEvent(event -> "ApplicationReplaced".equals(event.get("type").asString()));
			String id = originate("PJSIP/4000", "").json().get("id").asString();

			second.awaitType("StasisStart", id);
			assertThat(events.isClosed()).isFalse();
			assertThat(events.types()).containsExactly("ApplicationReplaced");
			assertThat(events.events().get(0).get("application").asString()).isEqualTo(APP);
		}
		finally {
			second.close();
		}
	}

	@Test
	void refusedWebSocketsGet503UntilAllowedAgain() {
		String upgrade = "/ari/events?app=other&api_key=voxdesk:voxdesk-dev";

		simulator.refuseWebSockets(true);
		Http.Result refused = Http.upgrade(simulator.port(), upgrade);
		simulator.refuseWebSockets(false);
		Http.Result accepted = Http.upgrade(simulator.port(), upgrade);

		assertThat(refused.status()).isEqualTo(503);
		assertThat(accepted.status()).isEqualTo(101);
		assertThat(Http.upgrade(simulator.port(), "/ari/events?app=other&api_key=voxdesk:wrong").status())
			.isEqualTo(401);
	}

	@Test
	void apiDocsAreServedForVersionDetection() {
		JsonNode resources = Http.ari(simulator, "GET", "/api-docs/resources.json").json();

		assertThat(resources.get("apiVersion").asString()).isEqualTo("10.0.0");
		assertThat(resources.get("basePath").asString()).isEqualTo("http://127.0.0.1:" + simulator.port() + "/ari");
		assertThat(Http.ari(simulator, "GET", "/api-docs/channels.json").json().get("resourcePath").asString())
			.isEqualTo("/api-docs/channels.{format}");
		assertThat(Http.ari(simulator, "GET", "/asterisk/info").json().get("system").get("version").asString())
			.isEqualTo("22.10.1");
	}

	// ---------------------------------------------------------------- helpers

	private Http.Result originate(String endpoint, String more) {
		return Http.ari(simulator, "POST", "/channels?endpoint=" + endpoint + "&app=" + APP + more);
	}

	private Http.Result admin(String method, String path, String json) {
		return Http.send(method, URI.create("http://127.0.0.1:" + simulator.port() + path), Map.of(), json);
	}

	private String channelState(String id) {
		return Http.ari(simulator, "GET", "/channels/" + id).json().get("state").asString();
	}

	private String digits(String id) {
		StringBuilder digits = new StringBuilder();
		events.events()
			.stream()
			.filter(event -> "ChannelDtmfReceived".equals(event.get("type").asString())
					&& id.equals(event.get("channel").get("id").asString()))
			.forEach(event -> digits.append(event.get("digit").asString()));
		return digits.toString();
	}

	/** The events about one channel, each as its type plus the detail that matters for it. */
	private List<String> summary(String id) {
		return events.events()
			.stream()
			.filter(event -> id.equals(event.path("channel").path("id").asString(null))
					|| id.equals(event.path("peer").path("id").asString(null)))
			.map(PjsipScriptTests::describe)
			.toList();
	}

	private static String describe(JsonNode event) {
		String type = event.get("type").asString();
		return switch (type) {
			case "ChannelDialplan" -> type + " " + event.get("dialplan_app").asString();
			case "ChannelStateChange" -> type + " " + event.get("channel").get("state").asString();
			case "Dial" -> type + " " + event.get("dialstatus").asString();
			case "ChannelVarset" -> type + " " + event.get("variable").asString() + "=" + event.get("value").asString();
			case "ChannelHangupRequest" -> type + " " + event.get("cause").asInt()
					+ (event.path("soft").asBoolean(false) ? " soft" : "");
			case "ChannelDestroyed" -> type + " " + event.get("cause").asInt();
			default -> type;
		};
	}
}

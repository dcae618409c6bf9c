package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * {@code POST /_sim/channels/{id}/answer}: a test answers a ringing channel when it is ready (the way the webphone's
 * end-to-end test answers the agent leg once the browser took the call), with the events a scripted answer gives;
 * and {@code GET /_sim/channels} shows what was dialled and the originate's variables.
 */
class FarEndAnswerTests {

	static final String APP = "voxdesk";

	AriSimulator simulator;

	EventSocket events;

	@BeforeEach
	void start() {
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
	void ringingChannelAnswersWhenToldWithTheEventsOfAScriptedAnswer() {
		simulator.script("1001", CallScript.noAnswer());
		String id = "vx-a-0f8a6b1e-3d5c-4b8e-9f6a-2c1d7e9b4a10";

		Http.Result originate = originateWithId(id, "PJSIP/1001", "&timeout=600&appArgs=voxdesk,agent,call-1",
				"{\"variables\":{\"VOXDESK_CALL_ID\":\"call-1\",\"PJSIP_HEADER(add,X-Voxdesk-Call-Id)\":\"call-1\"}}");

		assertThat(originate.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(listed(id)).isNotNull());
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(listed(id).get("state").asString()).isEqualTo("Ringing"));
		JsonNode ringing = listed(id);
		assertThat(ringing.get("endpoint").asString()).isEqualTo("PJSIP/1001");
		assertThat(ringing.get("number").asString()).isEqualTo("1001");
		assertThat(ringing.get("variables").get("PJSIP_HEADER(add,X-Voxdesk-Call-Id)").asString()).isEqualTo("call-1");
		assertThat(ringing.get("variables").get("VOXDESK_CALL_ID").asString()).isEqualTo("call-1");
		assertThat(ringing.get("bridgeId").isNull()).isTrue();
		assertThat(events.types()).doesNotContain("StasisStart");

		assertThat(admin("POST", "/_sim/channels/" + id + "/answer").status()).isEqualTo(204);

		JsonNode stasisStart = events.awaitType("StasisStart", id);
		assertThat(stasisStart.get("args").toString()).isEqualTo("[\"voxdesk\",\"agent\",\"call-1\"]");
		assertThat(stasisStart.get("channel").get("state").asString()).isEqualTo("Up");
		assertThat(listed(id).get("state").asString()).isEqualTo("Up");
		assertThat(summary(id)).containsExactly("ChannelDialplan AppDial2", "ChannelVarset VOXDESK_CALL_ID=call-1",
				"Dial ", "ChannelStateChange Ringing", "Dial RINGING", "ChannelStateChange Up", "Dial ANSWER",
				"ChannelVarset STASISSTATUS=", "StasisStart");

		Http.Result again = admin("POST", "/_sim/channels/" + id + "/answer");
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.json().get("message").asString()).contains("not ringing");

		assertThat(admin("POST", "/_sim/channels/" + id + "/hangup").status()).isEqualTo(204);
		assertThat(events.awaitType("ChannelDestroyed", id).get("cause").asInt()).isEqualTo(16);
		Http.Result gone = admin("POST", "/_sim/channels/" + id + "/answer");
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.text()).isEqualTo("{\"message\":\"Channel not found\"}");
	}

	@Test
	void answeringEarlyBeatsTheScriptAndItsOriginateTimeout() {
		simulator.script("1002", CallScript.answerAfter(Duration.ofSeconds(30)));

		String id = originate("PJSIP/1002", "&timeout=2").json().get("id").asString();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(listed(id).get("state").asString()).isEqualTo("Ringing"));
		simulator.answerFromFarEnd(id);

		events.awaitType("StasisStart", id);
		// The originate timeout (200 ms at this time scale) and the scripted answer no longer do anything.
		await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(listed(id).get("state").asString()).isEqualTo("Up"));
		assertThat(summary(id)).containsOnlyOnce("Dial ANSWER").doesNotContain("ChannelDestroyed 19");
	}

	@Test
	void onlyRingingPhoneChannelsCanBeAnswered() {
		assertThat(admin("POST", "/_sim/channels/no-such-channel/answer").status()).isEqualTo(404);
		assertThatThrownBy(() -> simulator.answerFromFarEnd("no-such-channel"))
			.isInstanceOf(IllegalArgumentException.class);

		String up = originate("PJSIP/1003", "").json().get("id").asString();
		events.awaitType("StasisStart", up);
		Http.Result answered = admin("POST", "/_sim/channels/" + up + "/answer");
		assertThat(answered.status()).isEqualTo(409);
		assertThat(answered.text()).startsWith("{\"message\":");
		assertThatThrownBy(() -> simulator.answerFromFarEnd(up)).isInstanceOf(IllegalStateException.class);

		String local = originate("Local/noanswer@scenarios", "").json().get("id").asString();
		JsonNode localChannel = listed(local);
		assertThat(localChannel.get("number").asString()).isEqualTo("noanswer");
		assertThat(admin("POST", "/_sim/channels/" + local + "/answer").status()).isEqualTo(409);
	}

	// ---------------------------------------------------------------- helpers

	private Http.Result originate(String endpoint, String more) {
		return Http.ari(simulator, "POST", "/channels?endpoint=" + endpoint + "&app=" + APP + more);
	}

	private Http.Result originateWithId(String id, String endpoint, String more, String body) {
		return Http.send("POST",
				URI.create("http://127.0.0.1:" + simulator.port() + "/ari/channels/" + id + "?endpoint=" + endpoint
						+ "&app=" + APP + more + "&api_key=" + simulator.settings().username() + ":"
						+ simulator.settings().password()),
				Map.of(), body);
	}

	private Http.Result admin(String method, String path) {
		return Http.send(method, URI.create("http://127.0.0.1:" + simulator.port() + path), Map.of(), null);
	}

	/** The channel as {@code GET /_sim/channels} lists it, or null. */
	private @Nullable JsonNode listed(String id) {
		for (JsonNode channel : admin("GET", "/_sim/channels").json()) {
			if (id.equals(channel.get("id").asString())) {
				return channel;
			}
		}
		return null;
	}

	private List<String> summary(String id) {
		return events.events()
			.stream()
			.filter(event -> id.equals(event.path("channel").path("id").asString(null))
					|| id.equals(event.path("peer").path("id").asString(null)))
			.map(FarEndAnswerTests::describe)
			.toList();
	}

	private static String describe(JsonNode event) {
		String type = event.get("type").asString();
		return switch (type) {
			case "ChannelDialplan" -> type + " " + event.get("dialplan_app").asString();
			case "ChannelStateChange" -> type + " " + event.get("channel").get("state").asString();
			case "Dial" -> type + " " + event.get("dialstatus").asString();
			case "ChannelVarset" -> type + " " + event.get("variable").asString() + "=" + event.get("value").asString();
			case "ChannelDestroyed" -> type + " " + event.get("cause").asInt();
			default -> type;
		};
	}
}

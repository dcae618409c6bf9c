package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * A simulated customer's call ({@code POST /_sim/calls}, {@link AriSimulator#callIn}): the recording's
 * {@code inbound_*} shape (the {@code ;2} half enters {@code Stasis(<app>,inbound,<number>)} in state Ring with the
 * caller id), and a refusal with {@code reason=unallocated} ending it with cause 1.
 */
class InboundCallTests {

	static final String APP = "voxdesk-acme";

	AriSimulator simulator;

	EventSocket events;

	@BeforeEach
	void start() {
		simulator = AriSimulator.start(AriSimulatorSettings.defaults().withTimeScale(0.1));
		events = EventSocket.open(simulator, APP, false);
	}

	@AfterEach
	void stop() {
		events.close();
		simulator.close();
	}

	@Test
	void aCustomersCallEntersTheApplicationWithTheNumberDialledAndTheCallerId() {
		Http.Result called = admin("POST", "/_sim/calls?to=554833335555&from=48999990000&name=Alice%20Caller&app=" + APP);

		assertThat(called.status()).isEqualTo(200);
		String caller = called.json().get("id").asString();
		JsonNode start = events.awaitEvent(event -> "StasisStart".equals(event.get("type").asString()));
		assertThat(start.get("args").toString()).isEqualTo("[\"inbound\",\"554833335555\"]");
		JsonNode channel = start.get("channel");
		assertThat(channel.get("state").asString()).isEqualTo("Ring");
		assertThat(channel.get("name").asString()).startsWith("Local/554833335555@inbound-").endsWith(";2");
		assertThat(channel.get("caller").get("number").asString()).isEqualTo("48999990000");
		assertThat(channel.get("caller").get("name").asString()).isEqualTo("Alice Caller");
		assertThat(channel.get("id").asString()).isNotEqualTo(caller);

		// Refused as an unallocated number: Asterisk's cause 1 on the channel in Stasis, and the caller's side goes.
		String inStasis = channel.get("id").asString();
		assertThat(Http.ari(simulator, "DELETE", "/channels/" + inStasis + "?reason=unallocated").status()).isEqualTo(204);
		JsonNode destroyed = events.awaitType("ChannelDestroyed", inStasis);
		assertThat(destroyed.get("cause").asInt()).isEqualTo(1);
		assertThat(destroyed.get("cause_txt").asString()).isEqualTo("Unallocated (unassigned) number");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(simulator.channels()).isEmpty());
	}

	@Test
	void anExtensionsOwnCallEntersTheApplicationAsOutboundWithTheExtensionAsCallerId() {
		Http.Result called = admin("POST", "/_sim/calls?direction=outbound&from=1001&to=5548999990000&app=" + APP);

		assertThat(called.status()).isEqualTo(200);
		String phone = called.json().get("id").asString();
		JsonNode start = events.awaitEvent(event -> "StasisStart".equals(event.get("type").asString()));
		assertThat(start.get("args").toString()).isEqualTo("[\"outbound\",\"5548999990000\"]");
		JsonNode channel = start.get("channel");
		assertThat(channel.get("state").asString()).isEqualTo("Ring");
		assertThat(channel.get("name").asString()).startsWith("Local/5548999990000@agents-").endsWith(";2");
		assertThat(channel.get("caller").get("number").asString()).isEqualTo("1001");

		// The phone hangs up: the channel in Stasis goes with it.
		simulator.hangUpFromFarEnd(phone, 16);
		events.awaitType("ChannelDestroyed", channel.get("id").asString());
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(simulator.channels()).isEmpty());
	}

	@Test
	void aCallNeedsTheNumberDialledInDigits() {
		Http.Result refused = admin("POST", "/_sim/calls?to=%2B5548");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("message").asString()).contains("digits");
		assertThat(simulator.channels()).isEmpty();
	}

	/**
	 * {@code GET /_sim/history}: when a caller's channel entered Stasis and when the application's originate came in,
	 * by the wall clock, which a benchmark in another process measures the application against; {@code DELETE}
	 * forgets it.
	 */
	@Test
	void theHistoryTellsWhenACallerEnteredStasisAndWhenAnAgentLegWasOriginated() {
		var before = Instant.now();
		var called = admin("POST", "/_sim/calls?to=554833335555&from=48999990000&app=" + APP);
		assertThat(called.status()).isEqualTo(200);
		var caller = events.awaitEvent(event -> "StasisStart".equals(event.get("type").asString()))
			.get("channel").get("id").asString();
		var originated = Http.ari(simulator, "POST", "/channels/agent-leg-1?endpoint=PJSIP/1001&app=" + APP
				+ "&appArgs=voxdesk,offer,c1,1", "{\"variables\": {\"VOXDESK_CALL_ID\": \"c1\"}}");
		assertThat(originated.status()).isEqualTo(200);
		// The simulated phone answers the agent leg a few ms later (default script); reading the history before it
		// entered Stasis would race with that answer.
		events.awaitType("StasisStart", "agent-leg-1");

		JsonNode history = admin("GET", "/_sim/history").json();

		// The customer's own originate (the Local pair the simulated call is made of), its Stasis start, the agent
		// leg's originate and, once answered, its own Stasis start.
		assertThat(history).hasSize(4);
		assertThat(history.get(0).get("kind").asString()).isEqualTo("originate");
		assertThat(history.get(0).get("endpoint").asString()).isEqualTo("Local/554833335555@inbound");
		var start = history.get(1);
		assertThat(start.get("kind").asString()).isEqualTo("stasis-start");
		assertThat(start.get("channel").asString()).isEqualTo(caller);
		assertThat(start.get("args").toString()).isEqualTo("[\"inbound\",\"554833335555\"]");
		var offer = history.get(2);
		assertThat(offer.get("kind").asString()).isEqualTo("originate");
		assertThat(offer.get("channel").asString()).isEqualTo("agent-leg-1");
		assertThat(offer.get("endpoint").asString()).isEqualTo("PJSIP/1001");
		assertThat(offer.get("args").toString()).isEqualTo("[\"voxdesk\",\"offer\",\"c1\",\"1\"]");
		assertThat(offer.get("variables").get("VOXDESK_CALL_ID").asString()).isEqualTo("c1");
		var answered = history.get(3);
		assertThat(answered.get("kind").asString()).isEqualTo("stasis-start");
		assertThat(answered.get("channel").asString()).isEqualTo("agent-leg-1");
		var startedAt = Instant.parse(start.get("at").asString());
		assertThat(startedAt).isBetween(before, Instant.parse(offer.get("at").asString()));

		assertThat(admin("DELETE", "/_sim/history").status()).isEqualTo(204);
		assertThat(admin("GET", "/_sim/history").json()).isEmpty();
	}

	/**
	 * {@code POST /_sim/calls/burst}: the simulator places the callers itself, one every {@code spacing-ms}, from
	 * consecutive numbers, so that a benchmark's load generator does not spend the measured machine's CPU on a request
	 * per caller.
	 */
	@Test
	void aBurstPlacesEachCallerFromTheNextNumberAtItsSpacing() {
		var called = admin("POST", "/_sim/calls/burst?to=554833335555&first-from=48990000000&count=5&spacing-ms=40&app="
				+ APP);
		assertThat(called.status()).isEqualTo(202);

		await().atMost(Duration.ofSeconds(10)).until(() -> starts().size() == 5);
		var starts = starts();
		assertThat(starts).extracting(start -> start.get("channel").get("caller").get("number").asString())
			.containsExactly("48990000000", "48990000001", "48990000002", "48990000003", "48990000004");
		assertThat(starts).extracting(start -> start.get("args").toString())
			.containsOnly("[\"inbound\",\"554833335555\"]");
		var entered = new ArrayList<Instant>();
		admin("GET", "/_sim/history").json().forEach(moment -> {
			if ("stasis-start".equals(moment.get("kind").asString())) {
				entered.add(Instant.parse(moment.get("at").asString()));
			}
		});
		assertThat(entered).hasSize(5);
		var first = entered.getFirst();
		var last = entered.getLast();
		assertThat(Duration.between(first, last)).as("four spacings of 40 ms").isGreaterThanOrEqualTo(Duration.ofMillis(150));

		assertThat(admin("POST", "/_sim/calls/burst?to=5548&first-from=4899&count=0").status()).isEqualTo(400);
		assertThat(admin("POST", "/_sim/calls/burst?to=5548&first-from=%2B4899").status()).isEqualTo(400);
	}

	private List<JsonNode> starts() {
		return events.events().stream().filter(event -> "StasisStart".equals(event.get("type").asString())).toList();
	}

	private Http.Result admin(String method, String path) {
		return Http.send(method, URI.create("http://127.0.0.1:" + simulator.port() + path), Map.of(), null);
	}
}

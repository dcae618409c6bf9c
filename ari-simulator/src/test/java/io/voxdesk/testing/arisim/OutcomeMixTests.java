package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Campaign-sized behaviour of the simulated PBX (issue 17, point 12): numbers under a prefix answer, ring, are
 * busy or fail in the shares of a mix, each number always the same way; a number's own script still wins; and a
 * channel limit refuses originates past it as Asterisk past {@code maxcalls} does, until a channel ends.
 */
class OutcomeMixTests {

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
	void aMixSharesTenThousandNumbersAsAskedAndEachNumberAlwaysTheSameWay() {
		var mix = new OutcomeMix(60, 15, 10, 10, 5, Duration.ofMillis(300));
		Map<CallScript.Outcome, Integer> counts = new EnumMap<>(CallScript.Outcome.class);
		for (int i = 0; i < 10_000; i++) {
			var number = "55489" + (10_000_000 + i);
			counts.merge(mix.scriptFor(number).outcome(), 1, Integer::sum);
			assertThat(mix.scriptFor(number)).isEqualTo(mix.scriptFor(number));
		}
		assertThat(counts.get(CallScript.Outcome.ANSWER)).as("answer and machine: 70 %").isBetween(6_700, 7_300);
		assertThat(counts.get(CallScript.Outcome.NO_ANSWER)).isBetween(1_300, 1_700);
		assertThat(counts.get(CallScript.Outcome.BUSY)).isBetween(850, 1_150);
		assertThat(counts.get(CallScript.Outcome.CONGESTION)).isBetween(380, 620);
		assertThatThrownBy(() -> new OutcomeMix(60, 15, 10, 10, 10, Duration.ZERO))
			.hasMessageContaining("add up to 100");
	}

	@Test
	void numbersUnderAPrefixFollowItsMixUnlessScriptedThemselves() {
		simulator.mix("5548", new OutcomeMix(0, 0, 100, 0, 0, Duration.ZERO));
		simulator.mix("554899", new OutcomeMix(0, 0, 0, 0, 100, Duration.ZERO));
		simulator.script("5548777770000", CallScript.answerAfter(Duration.ZERO));

		var busy = originate("5548333330000");
		var failed = originate("5548999990000");
		var answered = originate("5548777770000");

		assertThat(events.awaitType("ChannelDestroyed", busy).get("cause").asInt()).isEqualTo(17);
		assertThat(events.awaitType("ChannelDestroyed", failed).get("cause").asInt()).isEqualTo(34);
		events.awaitType("StasisStart", answered);
		assertThat(Http.send("PUT", URI.create("http://127.0.0.1:" + simulator.port() + "/_sim/mixes/55"), Map.of(),
				"{\"answer\": 50, \"busy\": 10}").status())
			.as("shares that do not add up to 100").isEqualTo(400);
	}

	@Test
	void pastTheChannelLimitOriginatesAreRefusedUntilAChannelEnds() {
		simulator.defaultScript(CallScript.noAnswer());
		simulator.channelLimit(2);
		var first = originate("5548111110001");
		originate("5548111110002");

		var refused = Http.ari(simulator, "POST", "/channels?endpoint=PJSIP/5548111110003@trunk&app=" + APP + "&timeout=60");

		assertThat(refused.status()).isEqualTo(500);
		assertThat(refused.json().get("error").asString()).isEqualTo("Allocation failed");
		assertThat(Http.ari(simulator, "DELETE", "/channels/" + first).status()).isEqualTo(204);
		events.awaitType("ChannelDestroyed", first);
		assertThat(Http.ari(simulator, "POST", "/channels?endpoint=PJSIP/5548111110003@trunk&app=" + APP + "&timeout=60")
			.status()).isEqualTo(200);
	}

	String originate(String number) {
		var created = Http.ari(simulator, "POST", "/channels?endpoint=PJSIP/" + number + "@trunk&app=" + APP + "&timeout=60");
		assertThat(created.status()).as(created.toString()).isEqualTo(200);
		return created.json().get("id").asString();
	}
}

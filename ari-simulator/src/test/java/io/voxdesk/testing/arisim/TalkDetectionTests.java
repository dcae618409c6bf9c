package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Talk detection as Asterisk's {@code TALK_DETECT} function gives it over ARI (issue 17, points 7 and 12): written as
 * a channel variable on a channel in Stasis, it reports the far end's speech as {@code ChannelTalkingStarted} and,
 * once the silence threshold passed, {@code ChannelTalkingFinished} with the talking's length; a scripted answering
 * machine speaks for seconds, a person for under one; values and functions Asterisk would not write are refused.
 */
class TalkDetectionTests {

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
	void aMachinesGreetingIsHeardAsLongTalkingAndAPersonsAsShort() {
		var mix = new OutcomeMix(50, 0, 0, 50, 0, Duration.ZERO);
		simulator.mix("5548", mix);
		var machine = answered(mix, Duration.ofMillis(4500));
		var person = answered(mix, Duration.ofMillis(900));

		assertThat(Http.ari(simulator, "POST", "/channels/" + machine + "/variable?variable=TALK_DETECT(set)&value=800")
			.status()).isEqualTo(204);
		assertThat(Http.ari(simulator, "POST", "/channels/" + person + "/variable?variable=TALK_DETECT(set)&value=800")
			.status()).isEqualTo(204);

		events.awaitType("ChannelTalkingStarted", machine);
		assertThat(events.awaitType("ChannelTalkingFinished", machine).get("duration").asLong()).isBetween(4000L, 4500L);
		events.awaitType("ChannelTalkingStarted", person);
		assertThat(events.awaitType("ChannelTalkingFinished", person).get("duration").asLong()).isBetween(400L, 900L);
	}

	@Test
	void talkDetectionIsRefusedWhereAsteriskRefusesIt() {
		simulator.defaultScript(CallScript.answerAfter(Duration.ZERO).thenSays(Duration.ofSeconds(4)));
		var created = Http.ari(simulator, "POST", "/channels?endpoint=PJSIP/5548111110001@trunk&app=" + APP);
		var channel = created.json().get("id").asString();
		events.awaitType("StasisStart", channel);

		assertThat(Http.ari(simulator, "POST", "/channels/" + channel + "/variable?variable=TALK_DETECT(set)&value=abc")
			.status()).as("a silence threshold that is not a number").isEqualTo(400);
		assertThat(Http.ari(simulator, "POST", "/channels/" + channel + "/variable?variable=TALK_DETECT(set)&value=0")
			.status()).as("a silence threshold under 1 ms").isEqualTo(400);
		assertThat(Http.ari(simulator, "POST", "/channels/" + channel + "/variable?variable=TALK_DETECT(loud)")
			.status()).as("an option TALK_DETECT does not have").isEqualTo(400);
		assertThat(Http.ari(simulator, "POST", "/channels/" + channel + "/variable?variable=NO_SUCH_FUNCTION(x)&value=1")
			.json().get("message").asString()).isEqualTo("Failed to execute function");
		assertThat(Http.ari(simulator, "POST", "/channels/nobody/variable?variable=TALK_DETECT(set)").status())
			.isEqualTo(404);

		Http.ari(simulator, "POST", "/channels/" + channel + "/continue");
		events.awaitType("StasisEnd", channel);
		assertThat(Http.ari(simulator, "POST", "/channels/" + channel + "/variable?variable=TALK_DETECT(set)")
			.status()).as("a channel that left Stasis").isIn(404, 409);
	}

	/** Originates numbers under the mix until one is scripted to speak for {@code speech}, and answers it. */
	private String answered(OutcomeMix mix, Duration speech) {
		for (int i = 0; i < 1000; i++) {
			var number = "5548" + (30_000_000 + i);
			if (speech.equals(mix.scriptFor(number).greeting())) {
				var created = Http.ari(simulator, "POST", "/channels?endpoint=PJSIP/" + number + "@trunk&app=" + APP);
				var channel = created.json().get("id").asString();
				events.awaitType("StasisStart", channel);
				return channel;
			}
		}
		throw new AssertionError("no number of the mix speaks for " + speech);
	}
}

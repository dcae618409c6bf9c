package io.voxdesk.testing.arisim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the traffic recorded against a real Asterisk 22.10.1 (src/test/resources/fixtures/ari) and expects the
 * simulator to answer and emit events the same way; see {@link ScenarioReplay} for what "the same" means.
 */
class RecordedScenarioTests {

	/** Simulated time runs five times faster than the recording, so the suite takes seconds, not a minute. */
	static final double TIME_SCALE = 0.2;

	AriSimulator simulator;

	@BeforeEach
	void start() {
		// A fresh simulator per scenario, as if Asterisk had nothing going on, like the recording at its start.
		simulator = AriSimulator.start(new AriSimulatorSettings(0, "test", "test", "22.10.1", TIME_SCALE));
	}

	@AfterEach
	void stop() {
		simulator.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "basics", "outbound_answered", "outbound_busy", "outbound_busy_hangup17",
			"outbound_congestion", "outbound_congestion_hangup34", "outbound_noanswer_timeout",
			"outbound_cancel_while_ringing", "outbound_slowanswer", "outbound_play_dtmf_hangup",
			"outbound_play_server_playback_id", "channel_recording", "inbound_bridge", "inbound_abandoned",
			"ws_application_replaced", "ws_reconnect" })
	void behavesAsRecorded(String scenario) {
		ScenarioReplay replay = new ScenarioReplay(simulator, scenario);
		try {
			replay.run(true);
		}
		finally {
			replay.closeSockets();
		}
	}
}

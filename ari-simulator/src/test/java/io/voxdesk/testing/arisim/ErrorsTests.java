package io.voxdesk.testing.arisim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every request of the recorded error scenario gets the status, headers and body Asterisk 22.10.1 answered. */
class ErrorsTests {

	AriSimulator simulator;

	@BeforeEach
	void start() {
		// At the recording's own pace: one GET /channels reads a Local channel between its dialplan's Answer() (half
		// a second) and the next priority, which five times faster was a window a loaded machine missed.
		simulator = AriSimulator.start(new AriSimulatorSettings(0, "test", "test", "22.10.1", 1.0));
	}

	@AfterEach
	void stop() {
		simulator.close();
	}

	@Test
	void answersEveryRecordedErrorAsAsteriskDid() {
		// The recording Asterisk had no chan_pjsip (and no chan_sip), so PJSIP/nobody and SIP/nobody failed to
		// allocate; in the simulator PJSIP/SIP exist and a number fails only when scripted to, as here.
		simulator.script("nobody", CallScript.unavailable());
		ScenarioReplay replay = new ScenarioReplay(simulator, "errors");
		try {
			replay.run(false);
		}
		finally {
			replay.closeSockets();
		}
	}
}

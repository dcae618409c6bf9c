package io.voxdesk.testing.arisim;

/**
 * How an {@link AriSimulator} is started: the port to bind on 127.0.0.1 (0 picks a free one), the one ARI user,
 * the Asterisk version it reports and how fast simulated time runs.
 *
 * @param timeScale real time per simulated time: {@code 1.0} is real time, {@code 0.1} makes every simulated delay
 *     (dialplan {@code Wait}, ringing, prompts, originate timeouts, call scripts) ten times shorter, so tests do not
 *     wait for the durations a PBX really takes
 */
public record AriSimulatorSettings(int port, String username, String password, String asteriskVersion,
		double timeScale) {

	public AriSimulatorSettings {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be 0..65535, was " + port);
		}
		if (username.isEmpty() || username.contains(":")) {
			throw new IllegalArgumentException("username must be non-empty and free of ':'");
		}
		if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
			throw new IllegalArgumentException("timeScale must be a positive number, was " + timeScale);
		}
	}

	/** Settings in real time. */
	public AriSimulatorSettings(int port, String username, String password, String asteriskVersion) {
		this(port, username, password, asteriskVersion, 1.0);
	}

	/** A random port, user {@code voxdesk} with password {@code voxdesk-dev}, Asterisk 22.10.1, real time. */
	public static AriSimulatorSettings defaults() {
		return new AriSimulatorSettings(0, "voxdesk", "voxdesk-dev", "22.10.1", 1.0);
	}

	/** The same settings on another port. */
	public AriSimulatorSettings withPort(int newPort) {
		return new AriSimulatorSettings(newPort, username, password, asteriskVersion, timeScale);
	}

	/** The same settings with another ARI user. */
	public AriSimulatorSettings withCredentials(String newUsername, String newPassword) {
		return new AriSimulatorSettings(port, newUsername, newPassword, asteriskVersion, timeScale);
	}

	/** The same settings with simulated time running at another speed (see {@link #timeScale()}). */
	public AriSimulatorSettings withTimeScale(double newTimeScale) {
		return new AriSimulatorSettings(port, username, password, asteriskVersion, newTimeScale);
	}
}

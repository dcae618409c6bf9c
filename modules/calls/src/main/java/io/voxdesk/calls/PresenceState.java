package io.voxdesk.calls;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether an agent can take calls. Agents choose available, away or offline; on a call and wrap-up are derived from
 * their calls and show over the chosen state while they last.
 */
public enum PresenceState {

	AVAILABLE, AWAY, OFFLINE, ON_CALL, WRAP_UP;

	@JsonValue
	public String code() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Whether an agent can choose it (the others are derived). */
	public boolean chosen() {
		return this == AVAILABLE || this == AWAY || this == OFFLINE;
	}

	/** @throws IllegalArgumentException for anything but the codes. */
	@JsonCreator
	public static PresenceState of(String code) {
		return Arrays.stream(values())
			.filter(state -> state.code().equals(code))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("state must be available, away or offline, was '" + code
					+ "'"));
	}
}

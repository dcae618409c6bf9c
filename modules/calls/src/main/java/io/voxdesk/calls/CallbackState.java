package io.voxdesk.calls;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a callback task stands: waiting for an agent, taken by one, or closed. */
public enum CallbackState {

	OPEN, TAKEN, CLOSED;

	@JsonValue
	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}
}

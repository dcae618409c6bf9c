package io.voxdesk.calls;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a call record; connectors carry it through the provider so events find their call. */
public record CallId(@JsonValue UUID value) {

	public CallId {
		Objects.requireNonNull(value);
	}

	public static CallId of(UUID value) {
		return new CallId(value);
	}

	/** Reads the text form, as a provider echoes it back. */
	public static CallId parse(String text) {
		return new CallId(UUID.fromString(text));
	}

	public static CallId random() {
		return new CallId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

package io.voxdesk.calls;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a callback task. */
public record CallbackId(@JsonValue UUID value) {

	public CallbackId {
		Objects.requireNonNull(value);
	}

	public static CallbackId of(UUID value) {
		return new CallbackId(value);
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

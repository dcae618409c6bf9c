package io.voxdesk.audio;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies an item of a tenant's audio library. */
public record AudioId(@JsonValue UUID value) {

	public AudioId {
		Objects.requireNonNull(value);
	}

	public static AudioId of(UUID value) {
		return new AudioId(value);
	}

	public static AudioId random() {
		return new AudioId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

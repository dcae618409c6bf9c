package io.voxdesk.calls;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies one of a tenant's provider connections. */
public record ProviderConnectionId(@JsonValue UUID value) {

	public ProviderConnectionId {
		Objects.requireNonNull(value);
	}

	public static ProviderConnectionId of(UUID value) {
		return new ProviderConnectionId(value);
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

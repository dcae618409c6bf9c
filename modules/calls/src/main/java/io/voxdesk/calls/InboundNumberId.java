package io.voxdesk.calls;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies an inbound number of a tenant. */
public record InboundNumberId(@JsonValue UUID value) {

	public InboundNumberId {
		Objects.requireNonNull(value);
	}

	public static InboundNumberId of(UUID value) {
		return new InboundNumberId(value);
	}
}

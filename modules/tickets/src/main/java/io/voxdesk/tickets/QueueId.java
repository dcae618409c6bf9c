package io.voxdesk.tickets;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a queue. */
public record QueueId(@JsonValue UUID value) {

	@JsonCreator
	public static QueueId of(UUID value) {
		return new QueueId(value);
	}

	public static QueueId random() {
		return new QueueId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

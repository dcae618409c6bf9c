package io.voxdesk.tickets;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a ticket. */
public record TicketId(@JsonValue UUID value) {

	@JsonCreator
	public static TicketId of(UUID value) {
		return new TicketId(value);
	}

	public static TicketId random() {
		return new TicketId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

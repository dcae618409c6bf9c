package io.voxdesk.contacts;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a contact. */
public record ContactId(@JsonValue UUID value) {

	@JsonCreator
	public static ContactId of(UUID value) {
		return new ContactId(value);
	}

	public static ContactId random() {
		return new ContactId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

package io.voxdesk.contacts;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a CSV import of contacts. */
public record ContactImportId(@JsonValue UUID value) {

	@JsonCreator
	public static ContactImportId of(UUID value) {
		return new ContactImportId(value);
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

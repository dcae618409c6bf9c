package io.voxdesk.audit;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies an audit entry. */
public record AuditEntryId(@JsonValue UUID value) {

	@JsonCreator
	public static AuditEntryId of(UUID value) {
		return new AuditEntryId(value);
	}

	/** The same id for the same recorded fact, so an event delivered twice is audited once. */
	public static AuditEntryId forFact(String fact) {
		return new AuditEntryId(UUID.nameUUIDFromBytes(fact.getBytes(StandardCharsets.UTF_8)));
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

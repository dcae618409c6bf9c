package io.voxdesk.tickets.internal;

import io.voxdesk.tickets.TicketStatus;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import org.jspecify.annotations.Nullable;

/** Stores ticket statuses by their API codes. */
@Converter
class StatusConverter implements AttributeConverter<TicketStatus, String> {

	@Override
	public @Nullable String convertToDatabaseColumn(@Nullable TicketStatus status) {
		return status == null ? null : status.code();
	}

	@Override
	public @Nullable TicketStatus convertToEntityAttribute(@Nullable String code) {
		return code == null ? null : TicketStatus.fromCode(code);
	}
}

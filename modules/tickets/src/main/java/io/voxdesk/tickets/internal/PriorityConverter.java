package io.voxdesk.tickets.internal;

import io.voxdesk.tickets.TicketPriority;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import org.jspecify.annotations.Nullable;

/** Stores priorities as levels 1-4, so sorting by priority sorts by urgency. */
@Converter
class PriorityConverter implements AttributeConverter<TicketPriority, Short> {

	@Override
	public @Nullable Short convertToDatabaseColumn(@Nullable TicketPriority priority) {
		return priority == null ? null : (short) priority.level();
	}

	@Override
	public @Nullable TicketPriority convertToEntityAttribute(@Nullable Short level) {
		return level == null ? null : TicketPriority.ofLevel(level);
	}
}

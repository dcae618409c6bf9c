package io.voxdesk.tickets;

import com.fasterxml.jackson.annotation.JsonValue;

/** How urgent a ticket is; sorting by priority puts urgent first when descending. */
public enum TicketPriority {

	LOW(1), NORMAL(2), HIGH(3), URGENT(4);

	private final int level;

	TicketPriority(int level) {
		this.level = level;
	}

	/** 1 (low) to 4 (urgent), as stored. */
	public int level() {
		return level;
	}

	@JsonValue
	public String code() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	public static TicketPriority ofLevel(int level) {
		for (var priority : values()) {
			if (priority.level == level) {
				return priority;
			}
		}
		throw new IllegalArgumentException("No ticket priority has level " + level);
	}
}

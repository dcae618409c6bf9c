package io.voxdesk.tickets;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a ticket stands: waiting in its queue, being handled by its assignee, or done. */
public enum TicketStatus {

	/** Waiting for an agent to accept it. */
	PENDING,

	/** Accepted or assigned: an agent is handling it. */
	OPEN,

	/** Done; it can be reopened. */
	CLOSED;

	@JsonValue
	public String code() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	/** The status with this code, as written in the API ({@code pending}, {@code open}, {@code closed}). */
	public static TicketStatus fromCode(String code) {
		for (var status : values()) {
			if (status.code().equals(code)) {
				return status;
			}
		}
		throw new IllegalArgumentException("'" + code + "' is not a ticket status: use pending, open or closed.");
	}
}

package io.voxdesk.tickets;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A tenant's choice of what finding the open ticket of a contact does when the contact's latest ticket is
 * closed (a customer calling back about the same matter, or a new one).
 */
public enum ClosedTicketPolicy {

	/** Reopen the latest closed ticket: the default, so one conversation stays on one ticket. */
	REOPEN("reopen"),

	/** Leave closed tickets closed and open a new one. */
	CREATE_NEW("create-new");

	private final String code;

	ClosedTicketPolicy(String code) {
		this.code = code;
	}

	@JsonValue
	public String code() {
		return code;
	}

	public static ClosedTicketPolicy fromCode(String code) {
		for (var policy : values()) {
			if (policy.code.equals(code)) {
				return policy;
			}
		}
		throw new IllegalArgumentException("'" + code + "' is not a closed-ticket policy: use reopen or create-new.");
	}
}

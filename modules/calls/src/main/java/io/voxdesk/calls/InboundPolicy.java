package io.voxdesk.calls;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an inbound call creates in a tenant: a contact for a number nobody has, and which ticket the call goes on.
 *
 * @param createContacts whether a caller whose number no contact has becomes a contact named by the number.
 * @param tickets which ticket an inbound call from a contact lands on.
 */
public record InboundPolicy(boolean createContacts, Tickets tickets) {

	/** A contact for every new caller, and their open ticket (the closed-ticket policy says what a closed one does). */
	public static final InboundPolicy DEFAULT = new InboundPolicy(true, Tickets.OPEN_TICKET);

	/** The ticket an inbound call lands on. */
	public enum Tickets {

		/** The contact's ticket that is not closed, or by the tenant's closed-ticket policy its last one or a new one. */
		OPEN_TICKET,

		/** A new ticket for every call. */
		NEW_TICKET,

		/** None: calls are recorded with their contact only. */
		NONE;

		@JsonValue
		public String code() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		/** @throws IllegalArgumentException for anything but {@code open-ticket}, {@code new-ticket} or {@code none}. */
		@JsonCreator
		public static Tickets of(String code) {
			return Arrays.stream(values())
				.filter(tickets -> tickets.code().equals(code))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("tickets must be open-ticket, new-ticket or none, was '"
						+ code + "'"));
		}
	}
}

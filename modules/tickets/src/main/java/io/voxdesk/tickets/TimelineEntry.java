package io.voxdesk.tickets;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a ticket's timeline.
 *
 * @param sequence the entry's position in the ticket's timeline, from 1, without gaps.
 * @param type what happened: {@code created}, {@code note}, {@code status_changed}, {@code assigned},
 *     {@code transferred}, or a type another module contributed, such as {@code call.ended}.
 * @param actorId the user who did it, or {@code system}.
 * @param data the entry's details, shaped by its type.
 */
public record TimelineEntry(TicketId ticketId, long sequence, String type, Instant occurredAt, String actorId,
		String actorName, String summary, Map<String, Object> data) {
}

package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/**
 * What an agent is told about a caller before their phone rings for them: who is calling, about which ticket, from
 * which queue, and since when they wait. The agent's phone then rings with the same call id in its SIP header.
 *
 * @param offer the offer's number within the call: a later offer of the same call to the same agent is a new one.
 * @param number the caller's number (E.164 when it is a valid one).
 * @param contactName the caller's contact, if they are one.
 * @param dialled the number the caller dialled.
 * @param waitingSince when the caller started waiting in the queue.
 */
public record IncomingCall(CallId call, int offer, String number, @Nullable String callerName,
		@Nullable ContactId contact, @Nullable String contactName, @Nullable TicketId ticket,
		@Nullable String ticketSubject, @Nullable QueueId queue, @Nullable String queueName, @Nullable String dialled,
		Instant waitingSince) {
}

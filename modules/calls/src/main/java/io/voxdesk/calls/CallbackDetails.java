package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/**
 * A callback task: a caller nobody answered, to be called back by an agent of the queue they called.
 *
 * @param missedCalls how many unanswered calls from the number the task gathers (a repeat call joins the task).
 * @param lastOutcome how the last of them ended: {@code abandoned} or {@code no_answer}.
 * @param user the one user the number routes to, for a number routed to a user instead of a queue.
 * @param closeReason why it was closed: {@code answered callback}, or the reason the agent gave.
 * @param answeredCall the callback call the customer answered, which closed the task.
 */
public record CallbackDetails(CallbackId id, CallbackState state, String number, @Nullable String callerName,
		@Nullable ContactId contact, @Nullable TicketId ticket, @Nullable QueueId queue, @Nullable UserId user,
		int missedCalls, CallId firstCall, CallId lastCall, Instant lastMissedAt, String lastOutcome,
		@Nullable UserId takenBy, @Nullable String takenByName, @Nullable Instant takenAt, @Nullable Instant closedAt,
		@Nullable String closeReason, @Nullable CallId answeredCall, Instant createdAt) {
}

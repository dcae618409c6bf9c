package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/**
 * A call record as clients see it.
 *
 * @param number the customer's number in E.164.
 * @param agentAnsweredAt when the agent's extension picked up its leg.
 * @param answeredAt when the customer answered; {@literal null} for a call nobody answered.
 * @param talkSeconds answered time minus time on hold.
 * @param hangupCause the provider's cause for the leg that ended the call, e.g. {@code 17 User busy}.
 * @param failureReason why Voxdesk could not place the call, or why it settled a call whose end was never
 *     reported, in words a person understands.
 * @param note the agent's note after the call.
 * @param disposition how the agent classified the call, e.g. {@code sale} or {@code callback}.
 * @param endingRevised whether an event that arrived late changed how the call ended (an answer reported after
 *     the hangup).
 * @param endingEstimated whether the end was never reported and {@code endedAt} is Voxdesk's estimate (the
 *     provider went away, or its events were lost): the best evidence it had, such as when the connection to the
 *     provider dropped.
 * @param transfer the call's latest transfer, in progress or not; {@literal null} if it was never transferred.
 */
public record CallDetails(CallId id, CallStatus status, @Nullable CallOutcome outcome, String direction,
		UserId agent, String agentName, String agentExtension, String number, @Nullable ContactId contact, @Nullable TicketId ticket,
		ProviderKind provider, Instant requestedAt, @Nullable Instant agentAnsweredAt, @Nullable Instant answeredAt,
		@Nullable Instant endedAt, long holdSeconds, long talkSeconds, @Nullable String hangupCause,
		@Nullable String failureReason, boolean endingRevised, boolean endingEstimated, boolean recorded,
		@Nullable String note,
		@Nullable String disposition, @Nullable CallTransfer transfer) {
}

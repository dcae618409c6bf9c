package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;

/**
 * A call record as clients see it.
 *
 * @param direction {@code outbound} (an agent's click-to-call), {@code inbound} (a customer called the tenant, or
 *     waits for an agent after a campaign's key) or {@code campaign} (a voice campaign reached a person).
 * @param agent the agent of the call; {@literal null} for an inbound call no agent has taken (yet).
 * @param number the customer's number in E.164; for an inbound call, the caller's number as the network gave it
 *     when it is not a valid number (an extension, or empty when withheld).
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
 * @param callerName an inbound caller's name as the network gave it.
 * @param dialled the number an inbound caller dialled (E.164 when it is one).
 * @param queue the queue an inbound call's number sent it to.
 * @param providerCallId the provider's id of the call (an ARI channel, API4COM's call id), for support and for
 *     connectors reconciling after an outage.
 * @param campaign the voice campaign whose call this is or came from; {@literal null} for other calls.
 */
public record CallDetails(CallId id, CallStatus status, @Nullable CallOutcome outcome, String direction,
		@Nullable UserId agent, @Nullable String agentName, @Nullable String agentExtension, String number, @Nullable ContactId contact, @Nullable TicketId ticket,
		ProviderKind provider, Instant requestedAt, @Nullable Instant agentAnsweredAt, @Nullable Instant answeredAt,
		@Nullable Instant endedAt, long holdSeconds, long talkSeconds, @Nullable String hangupCause,
		@Nullable String failureReason, boolean endingRevised, boolean endingEstimated, boolean recorded,
		@Nullable String note,
		@Nullable String disposition, @Nullable CallTransfer transfer, @Nullable String callerName,
		@Nullable String dialled, @Nullable QueueId queue, @Nullable String providerCallId, @Nullable String campaign) {

	public boolean inbound() {
		return "inbound".equals(direction);
	}
}

package io.voxdesk.calls.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.CallTransfer;
import io.voxdesk.calls.CallbackId;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.TransferMode;
import io.voxdesk.calls.TransferState;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * A call record. It keeps the facts providers report (when each leg answered, holds, when and why it ended) and
 * derives its status from them, so applying an event twice, or events in a different order, leaves the same
 * record.
 */
@Entity
@Table(name = "calls")
class CallRecord {

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	private String direction;

	private String status;

	private @Nullable String outcome;

	@Column(name = "connection_id")
	private UUID connectionId;

	@Column(name = "provider_kind")
	private String providerKind;

	@Column(name = "provider_call_id")
	private @Nullable String providerCallId;

	@Column(name = "agent_id")
	private @Nullable String agentId;

	@Column(name = "agent_name")
	private @Nullable String agentName;

	@Column(name = "agent_extension")
	private @Nullable String agentExtension;

	private String number;

	@Column(name = "caller_name")
	private @Nullable String callerName;

	private @Nullable String dialled;

	@Column(name = "queue_id")
	private @Nullable UUID queueId;

	/** The one user an inbound call's number (or its queue's overflow) sends it to, instead of a queue's members. */
	@Column(name = "routed_user")
	private @Nullable String routedUser;

	/** When the inbound call started waiting for an agent where it is now; {@literal null} once taken or never. */
	@Column(name = "queued_at")
	private @Nullable Instant queuedAt;

	/** How often the waiting caller was sent to an overflow queue or user. */
	private int overflows;

	/** The callback task this call calls back, if it does. */
	@Column(name = "callback_id")
	private @Nullable UUID callbackId;

	/** The call whose agent transferred this caller to a queue, for a caller waiting because of a transfer. */
	@Column(name = "transferred_from")
	private @Nullable UUID transferredFrom;

	/** The voice campaign whose call this is, or whose call a key handed to a queue or a user. */
	private @Nullable String campaign;

	@Column(name = "contact_id")
	private @Nullable UUID contactId;

	@Column(name = "ticket_id")
	private @Nullable UUID ticketId;

	private boolean record;

	@Column(name = "requested_at")
	private Instant requestedAt;

	@Column(name = "ringing_at")
	private @Nullable Instant ringingAt;

	@Column(name = "agent_answered_at")
	private @Nullable Instant agentAnsweredAt;

	@Column(name = "answered_at")
	private @Nullable Instant answeredAt;

	@Column(name = "ended_at")
	private @Nullable Instant endedAt;

	@Column(name = "end_leg")
	private @Nullable String endLeg;

	@Column(name = "hold_started_at")
	private @Nullable Instant holdStartedAt;

	@Column(name = "hold_seconds")
	private long holdSeconds;

	@Column(name = "talk_seconds")
	private long talkSeconds;

	@Column(name = "hangup_code")
	private @Nullable String hangupCode;

	@Column(name = "hangup_text")
	private @Nullable String hangupText;

	@Column(name = "hangup_outcome")
	private @Nullable String hangupOutcome;

	@Column(name = "cancel_requested")
	private boolean cancelRequested;

	@Column(name = "ending_revised")
	private boolean endingRevised;

	@Column(name = "ending_estimated")
	private boolean endingEstimated;

	@Column(name = "failure_reason")
	private @Nullable String failureReason;

	private @Nullable String recording;

	private @Nullable String note;

	/** The destination of the latest transfer. */
	@Column(name = "transferred_to")
	private @Nullable String transferredTo;

	@Column(name = "transfer_attempt")
	private int transferAttempt;

	@Column(name = "transfer_mode")
	private @Nullable String transferMode;

	@Column(name = "transfer_requested_at")
	private @Nullable Instant transferRequestedAt;

	@Column(name = "transfer_answered_at")
	private @Nullable Instant transferAnsweredAt;

	@Column(name = "transfer_completed_at")
	private @Nullable Instant transferCompletedAt;

	@Column(name = "transfer_ended_at")
	private @Nullable Instant transferEndedAt;

	@Column(name = "transfer_end_code")
	private @Nullable String transferEndCode;

	@Column(name = "transfer_end_text")
	private @Nullable String transferEndText;

	@Column(name = "transfer_end_outcome")
	private @Nullable String transferEndOutcome;

	@Column(name = "transfer_cancel_requested")
	private boolean transferCancelRequested;

	@Column(name = "transfer_failure")
	private @Nullable String transferFailure;

	private @Nullable String disposition;

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "updated_at")
	private Instant updatedAt;

	@Version
	private @Nullable Long version;

	protected CallRecord() {
		this.id = new UUID(0, 0);
		this.direction = "outbound";
		this.status = CallStatus.RINGING.name();
		this.connectionId = new UUID(0, 0);
		this.providerKind = "";
		this.number = "";
		this.requestedAt = Instant.EPOCH;
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	static CallRecord outbound(CallId id, ProviderConnectionId connection, ProviderKind kind, UserId agent,
			String agentName, String extension, String number, @Nullable ContactId contact, @Nullable TicketId ticket,
			boolean record, Instant now) {
		var call = new CallRecord();
		call.id = id.value();
		call.connectionId = connection.value();
		call.providerKind = kind.code();
		call.agentId = agent.value();
		call.agentName = agentName;
		call.agentExtension = extension;
		call.number = number;
		call.contactId = contact == null ? null : contact.value();
		call.ticketId = ticket == null ? null : ticket.value();
		call.record = record;
		call.requestedAt = now;
		call.createdAt = now;
		call.updatedAt = now;
		return call;
	}

	/**
	 * A call that reached the tenant: waiting for an agent, with the queue or the user its number routes it to, or
	 * (without either) to be refused.
	 *
	 * @param number the caller's number, E.164 when it is a valid one.
	 */
	static CallRecord inbound(CallId id, ProviderConnectionId connection, ProviderKind kind, String providerCallId,
			String number, @Nullable String callerName, @Nullable String dialled, @Nullable QueueId queue,
			@Nullable UserId user, Instant arrivedAt, Instant now) {
		var call = new CallRecord();
		call.id = id.value();
		call.direction = "inbound";
		call.connectionId = connection.value();
		call.providerKind = kind.code();
		call.providerCallId = providerCallId;
		call.number = number.length() > 40 ? number.substring(0, 40) : number;
		call.callerName = cut(callerName, 100);
		call.dialled = cut(dialled, 40);
		call.queueId = queue == null ? null : queue.value();
		call.routedUser = user == null ? null : user.value();
		call.queuedAt = queue == null && user == null ? null : arrivedAt;
		call.requestedAt = arrivedAt;
		call.createdAt = now;
		call.updatedAt = now;
		return call;
	}

	/**
	 * A voice campaign's call that reached a person: answered when it starts (the PBX plays the campaign's message,
	 * no agent takes part), on the contact the campaign called.
	 */
	static CallRecord campaign(CallId id, ProviderConnectionId connection, ProviderKind kind, String number,
			ContactId contact, String campaign, Instant answeredAt, Instant now) {
		var call = new CallRecord();
		call.id = id.value();
		call.direction = "campaign";
		call.connectionId = connection.value();
		call.providerKind = kind.code();
		call.number = number.length() > 40 ? number.substring(0, 40) : number;
		call.contactId = contact.value();
		call.campaign = cut(campaign, 120);
		call.requestedAt = answeredAt;
		call.answeredAt = answeredAt;
		call.createdAt = now;
		call.updatedAt = now;
		call.derive();
		return call;
	}

	/** This caller waits for an agent because a key of campaign {@code name}'s menu handed them over. */
	void fromCampaign(@Nullable String name) {
		campaign = cut(name, 120);
	}

	/**
	 * An agent answered the waiting caller: the agent becomes the call's, and the conversation starts. Only the first
	 * agent takes a call; the caller of this method has made sure (one answered offer per call).
	 */
	Change takenBy(UserId agent, String name, String extension, Instant at, Instant now) {
		var before = snapshot();
		if (agentId == null && endedAt == null) {
			agentId = agent.value();
			agentName = name;
			agentExtension = extension;
			agentAnsweredAt = earliest(agentAnsweredAt, at);
			answeredAt = earliest(answeredAt, at);
			queuedAt = null;
		}
		derive();
		updatedAt = now;
		return compare(before);
	}

	/** The extension placed the call on the provider without Voxdesk; the provider's id names it. */
	void placedDirectly(String providerCall) {
		providerCallId = providerCall;
	}

	/** The user whose extension the provider routed the inbound call to: its agent, before anybody answered. */
	void forAgent(UserId agent, String name, String extension) {
		agentId = agent.value();
		agentName = name;
		agentExtension = extension;
	}

	/** This caller waits in a queue because the agent of {@code call} transferred them there. */
	void transferredFrom(CallId call) {
		transferredFrom = call.value();
	}

	/**
	 * The agent hands the customer to a queue: the transfer is complete at once (the customer waits there as another
	 * call), so the agent's leg ending from now on releases the agent instead of ending this call.
	 *
	 * @return the transfer's attempt.
	 */
	int handToQueue(String queueName, Instant now) {
		return handOver("queue " + queueName, now);
	}

	/** The customer is handed to {@code destination} at once (a queue, or a user to wait for), the transfer done. */
	int handOver(String destination, Instant now) {
		startTransfer(TransferMode.BLIND, Objects.requireNonNull(cut(destination, 40)), now);
		transferAnsweredAt = now;
		transferCompletedAt = now;
		return transferAttempt;
	}

	/** The provider could not move the customer to the queue: they are still with the agent. */
	Change queueTransferRefused(int attempt, String reason, Instant now) {
		var before = snapshot();
		if (attempt == transferAttempt && endedAt == null) {
			transferAnsweredAt = null;
			transferCompletedAt = null;
			transferFailure = cut(reason, 500);
			transferEndedAt = now;
		}
		derive();
		updatedAt = now;
		return compare(before);
	}

	/** This call calls a customer back from a callback task. */
	void fromCallback(CallbackId callback) {
		callbackId = callback.value();
	}

	@Nullable CallbackId callback() {
		return callbackId == null ? null : CallbackId.of(callbackId);
	}

	/** The contact an inbound caller is and the ticket their call lands on. */
	void linkTo(@Nullable ContactId contact, @Nullable TicketId ticket) {
		contactId = contact == null ? null : contact.value();
		ticketId = ticket == null ? null : ticket.value();
	}

	/** The waiting caller moves to another queue (an overflow), where the wait starts again. */
	void moveTo(QueueId queue, Instant now) {
		overflows++;
		queueId = queue.value();
		routedUser = null;
		queuedAt = now;
		updatedAt = now;
	}

	/** The waiting caller is now for one user only (an overflow), whose phone alone rings from now on. */
	void routeTo(UserId user, Instant now) {
		overflows++;
		routedUser = user.value();
		queuedAt = now;
		updatedAt = now;
	}

	/** Voxdesk lets the waiting caller go unanswered (an overflow that hangs up): their end reads as not answered. */
	void letGo(Instant now) {
		cancelRequested = true;
		queuedAt = null;
		updatedAt = now;
	}

	/** Whether the inbound call waits for an agent. */
	boolean waiting() {
		return queuedAt != null && agentId == null && endedAt == null;
	}

	int overflows() {
		return overflows;
	}

	@Nullable Instant queuedAt() {
		return queuedAt;
	}

	@Nullable QueueId queue() {
		return queueId == null ? null : QueueId.of(queueId);
	}

	@Nullable UserId routedUser() {
		return routedUser == null ? null : UserId.of(routedUser);
	}

	/**
	 * Voxdesk refuses the inbound call (its number is not routed, or the connector could not read it): it ends at
	 * once, as not configured, with the reason.
	 */
	Change refuse(String reason, Instant now) {
		var before = snapshot();
		if (endedAt == null) {
			failureReason = cut(reason, 500);
			endedAt = requestedAt.isAfter(now) ? requestedAt : now;
			endLeg = CallLeg.CUSTOMER.name();
			hangupOutcome = CallOutcome.NOT_CONFIGURED.name();
		}
		derive();
		updatedAt = now;
		return compare(before);
	}

	/** What applying facts changed, so the caller can publish the matching events. */
	record Change(boolean answered, boolean ended, boolean endingCorrected, boolean recorded) {

		static final Change NONE = new Change(false, false, false, false);
	}

	/** Applies one provider fact; earlier facts win over later reports of the same thing. */
	Change apply(ProviderCallEvent event, Instant now) {
		var before = snapshot();
		if (event.providerCallId() != null && providerCallId == null) {
			providerCallId = cut(event.providerCallId(), 200);
		}
		if (event.leg() == CallLeg.TARGET) {
			applyToTransfer(event);
		}
		else {
			applyToConversation(event);
		}
		derive();
		updatedAt = now;
		return compare(before);
	}

	/** A fact about the agent's or the customer's leg. */
	private void applyToConversation(ProviderCallEvent event) {
		var at = event.occurredAt();
		switch (event.type()) {
			case RINGING -> ringingAt = earliest(ringingAt, at);
			case ANSWERED -> {
				if (event.leg() == CallLeg.AGENT) {
					agentAnsweredAt = earliest(agentAnsweredAt, at);
				}
				else {
					answeredAt = earliest(answeredAt, at);
				}
			}
			case HELD -> {
				if (holdStartedAt == null && (endedAt == null || at.isBefore(endedAt))) {
					holdStartedAt = at;
				}
			}
			case RESUMED -> closeHold(at);
			case ENDED -> {
				// An agent who handed the customer over is released: the conversation goes on without them.
				if (event.leg() != CallLeg.AGENT || transferCompletedAt == null) {
					ended(event.leg(), at, event.cause());
				}
			}
			case RECORDING_AVAILABLE -> recording = event.recording();
			case TRANSFERRED -> {
				// Only the target's leg completes a transfer (the event checks that).
			}
		}
	}

	/** Voxdesk could not place the call at all; the call ends now with the reason. */
	Change fail(String reason, Instant now) {
		var before = snapshot();
		failureReason = reason.length() > 500 ? reason.substring(0, 500) : reason;
		if (endedAt == null) {
			endedAt = now;
			hangupOutcome = CallOutcome.FAILED.name();
		}
		derive();
		updatedAt = now;
		return compare(before);
	}

	private void ended(CallLeg leg, Instant at, @Nullable HangupCause cause) {
		if (CallOutcome.NOT_CONFIGURED.name().equals(hangupOutcome)) {
			// Voxdesk refused the call: the line's end, on the PBX's clock, is a consequence, not news.
			return;
		}
		if (endedAt == null || at.isBefore(endedAt)) {
			endedAt = at;
			endLeg = leg.name();
			// Kept whatever a provider sends: a cause longer than its column is stored cut, never refused.
			hangupCode = cause == null ? null : cut(cause.code(), 40);
			hangupText = cause == null ? null : cut(cause.text(), 100);
			hangupOutcome = cause == null || cause.outcome() == null ? null : cause.outcome().name();
		}
	}

	/**
	 * A fact about a transfer's target. Facts of an earlier attempt change nothing. Once the transfer is completed
	 * the target is the customer's party, so its leg ending ends the call.
	 */
	private void applyToTransfer(ProviderCallEvent event) {
		if (event.transfer() != transferAttempt) {
			return;
		}
		var at = event.occurredAt();
		switch (event.type()) {
			case ANSWERED -> transferAnsweredAt = earliest(transferAnsweredAt, at);
			case TRANSFERRED -> {
				transferCompletedAt = earliest(transferCompletedAt, at);
				transferAnsweredAt = earliest(transferAnsweredAt, at);
				if (transferEndedAt != null) {
					ended(CallLeg.TARGET, transferEndedAt, transferEndCause());
				}
			}
			case ENDED -> {
				if (transferEndedAt == null || at.isBefore(transferEndedAt)) {
					transferEndedAt = at;
					var cause = event.cause();
					transferEndCode = cause == null ? null : cut(cause.code(), 40);
					transferEndText = cause == null ? null : cut(cause.text(), 100);
					transferEndOutcome = cause == null || cause.outcome() == null ? null : cause.outcome().name();
				}
				if (transferCompletedAt != null) {
					ended(CallLeg.TARGET, at, event.cause());
				}
			}
			default -> {
				// Ringing, holds and recordings of the target are not kept.
			}
		}
	}

	private @Nullable HangupCause transferEndCause() {
		if (transferEndCode == null && transferEndText == null && transferEndOutcome == null) {
			return null;
		}
		return new HangupCause(transferEndCode, transferEndText,
				transferEndOutcome == null ? null : CallOutcome.valueOf(transferEndOutcome));
	}

	/** Starts a new transfer attempt; the caller has checked that none is in progress. */
	Change startTransfer(TransferMode mode, String destination, Instant now) {
		var before = snapshot();
		transferAttempt++;
		transferMode = mode.name();
		transferredTo = destination;
		transferRequestedAt = now;
		transferAnsweredAt = null;
		transferCompletedAt = null;
		transferEndedAt = null;
		transferEndCode = null;
		transferEndText = null;
		transferEndOutcome = null;
		transferCancelRequested = false;
		transferFailure = null;
		derive();
		updatedAt = now;
		return compare(before);
	}

	/** The provider refused to ring the target: the transfer failed, and the customer is still with the agent. */
	Change transferRefused(int attempt, String reason, Instant now) {
		var before = snapshot();
		if (attempt == transferAttempt && transferCompletedAt == null) {
			transferFailure = cut(reason, 500);
			transferEndedAt = transferEndedAt == null ? now : transferEndedAt;
		}
		derive();
		updatedAt = now;
		return compare(before);
	}

	/** The agent asked to cancel the transfer; the target's leg ending then reads as cancelled. */
	void requestTransferCancel(Instant now) {
		transferCancelRequested = true;
		updatedAt = now;
	}

	/** The latest transfer; {@literal null} if the call was never transferred. */
	@Nullable CallTransfer transfer() {
		if (transferAttempt == 0 || transferMode == null || transferRequestedAt == null || transferredTo == null) {
			return null;
		}
		var state = transferState();
		var end = transferEndedAt != null ? transferEndedAt : state == TransferState.CANCELLED ? endedAt : null;
		return new CallTransfer(transferAttempt, TransferMode.valueOf(transferMode), transferredTo, state,
				transferDetail(state), transferRequestedAt, transferAnsweredAt, transferCompletedAt, end);
	}

	private TransferState transferState() {
		if (transferCompletedAt != null) {
			return TransferState.COMPLETED;
		}
		if (transferFailure != null) {
			return TransferState.FAILED;
		}
		if (transferEndedAt != null) {
			if (transferCancelRequested || transferAnsweredAt != null
					|| endedAt != null && !transferEndedAt.isBefore(endedAt)) {
				return TransferState.CANCELLED;
			}
			if (CallOutcome.BUSY.name().equals(transferEndOutcome)) {
				return TransferState.BUSY;
			}
			if (CallOutcome.NO_ANSWER.name().equals(transferEndOutcome)) {
				return TransferState.NO_ANSWER;
			}
			return TransferState.FAILED;
		}
		if (endedAt != null) {
			return TransferState.CANCELLED;
		}
		return transferAnsweredAt != null ? TransferState.ANSWERED : TransferState.RINGING;
	}

	private @Nullable String transferDetail(TransferState state) {
		var described = cause(transferEndCode, transferEndText);
		var cause = described == null ? "" : " (" + described + ")";
		return switch (state) {
			case RINGING -> transferredTo + " is ringing.";
			case ANSWERED -> TransferMode.ATTENDED.name().equals(transferMode)
					? transferredTo + " answered; the customer hears music on hold until the agent completes or cancels "
							+ "the transfer."
					: transferredTo + " answered; the customer is being handed over.";
			case COMPLETED -> "The customer was handed to " + transferredTo + ".";
			case BUSY -> transferredTo + " was busy" + cause + "; the customer stayed with the agent.";
			case NO_ANSWER -> transferredTo + " did not answer" + cause + "; the customer stayed with the agent.";
			case FAILED -> transferFailure != null ? transferFailure + " The customer stayed with the agent."
					: transferredTo + " could not be reached" + cause + "; the customer stayed with the agent.";
			case CANCELLED -> transferCancelRequested ? "The agent cancelled the transfer to " + transferredTo + "."
					: endedAt != null && (transferEndedAt == null || !transferEndedAt.isBefore(endedAt))
							? "The call ended before the transfer to " + transferredTo + " was completed."
							: transferredTo + " hung up before the transfer was completed; the customer is back with "
									+ "the agent.";
		};
	}

	/** Whether the agent handed the customer over and was released. */
	boolean transferCompleted() {
		return transferCompletedAt != null;
	}

	void annotate(@Nullable String note, @Nullable String disposition, Instant now) {
		this.note = note;
		this.disposition = disposition;
		this.updatedAt = now;
	}

	/** The agent asked to hang up; an unanswered call then ends as cancelled whatever cause the provider gives. */
	void requestCancel(Instant now) {
		cancelRequested = true;
		updatedAt = now;
	}

	/** Whether the agent asked to hang up while the call has not ended. */
	boolean hangUpPending() {
		return cancelRequested && endedAt == null;
	}

	/**
	 * Settles a call its provider no longer knows about, whose end was never reported. It ends at {@code endedBy}
	 * (the connector's best evidence, such as when its connection to the provider dropped), but never before the
	 * call's last known fact nor after now; without evidence, at the last time Voxdesk heard of it. The ending is
	 * marked as estimated.
	 */
	Change settleLost(String reason, @Nullable Instant endedBy, Instant now) {
		var before = snapshot();
		if (endedAt == null) {
			var lastFact = latest(requestedAt, ringingAt, agentAnsweredAt, answeredAt, holdStartedAt);
			var estimate = endedBy == null ? latest(lastFact, updatedAt) : latest(lastFact, endedBy);
			endedAt = estimate.isAfter(now) ? latest(lastFact, now) : estimate;
			endingEstimated = true;
			if (answeredAt == null) {
				// A waiting caller's line can only have ended from their side (Voxdesk lets callers go itself): a
				// missed call, the ending estimated. An outbound call nobody answered failed for an unknown reason.
				hangupOutcome = (inbound() ? CallOutcome.ABANDONED : CallOutcome.FAILED).name();
			}
			failureReason = reason.length() > 500 ? reason.substring(0, 500) : reason;
		}
		derive();
		updatedAt = now;
		return compare(before);
	}

	private static Instant latest(Instant first, @Nullable Instant... others) {
		var latest = first;
		for (var other : others) {
			if (other != null && other.isAfter(latest)) {
				latest = other;
			}
		}
		return latest;
	}

	private void closeHold(Instant at) {
		if (holdStartedAt != null && !at.isBefore(holdStartedAt)) {
			var until = endedAt != null && endedAt.isBefore(at) ? endedAt : at;
			holdSeconds += Duration.between(holdStartedAt, until).toSeconds();
			holdStartedAt = null;
		}
	}

	/** Closed holds, plus a hold still open when the call ended (its resume may yet be reported). */
	private long heldSeconds() {
		return holdSeconds + (holdStartedAt != null && endedAt != null && endedAt.isAfter(holdStartedAt)
				? Duration.between(holdStartedAt, endedAt).toSeconds() : 0);
	}

	private void derive() {
		if (endedAt == null) {
			status = (answeredAt == null ? CallStatus.RINGING
					: holdStartedAt != null ? CallStatus.ON_HOLD : CallStatus.ANSWERED).name();
			outcome = null;
			return;
		}
		queuedAt = null;
		var result = endingOutcome();
		outcome = result.name();
		status = (result == CallOutcome.ANSWERED && transferCompletedAt != null ? CallStatus.TRANSFERRED
				: inbound() && (result == CallOutcome.ABANDONED || result == CallOutcome.NO_ANSWER) ? CallStatus.MISSED
						: result.finalStatus())
			.name();
		talkSeconds = answeredAt == null || endedAt.isBefore(answeredAt) ? 0
				: Math.max(0, Duration.between(answeredAt, endedAt).toSeconds() - heldSeconds());
	}

	private CallOutcome endingOutcome() {
		if (answeredAt != null) {
			return CallOutcome.ANSWERED;
		}
		if (inbound() && !endingEstimated && !CallOutcome.NOT_CONFIGURED.name().equals(hangupOutcome)) {
			// Nobody took the call: the caller gave up waiting (whatever cause their line gave), or Voxdesk let them
			// go unanswered.
			return !cancelRequested && CallLeg.CUSTOMER.name().equals(endLeg) ? CallOutcome.ABANDONED
					: CallOutcome.NO_ANSWER;
		}
		if (cancelRequested) {
			return CallOutcome.CANCELLED;
		}
		if (hangupOutcome != null) {
			return CallOutcome.valueOf(hangupOutcome);
		}
		// A normal clearing before the customer answered: whoever hung up gave up on the call.
		if (CallLeg.AGENT.name().equals(endLeg) && agentAnsweredAt == null) {
			return CallOutcome.NO_ANSWER;
		}
		return CallOutcome.CANCELLED;
	}

	/** What a change is measured against: the facts that decide which events to publish. */
	private record Snapshot(boolean answered, boolean ended, String status, boolean recorded) {
	}

	private Snapshot snapshot() {
		return new Snapshot(answeredAt != null, endedAt != null, status, recording != null);
	}

	private Change compare(Snapshot before) {
		var corrected = before.ended() && endedAt != null && !before.status().equals(status);
		if (corrected) {
			endingRevised = true;
		}
		return new Change(!before.answered() && answeredAt != null, !before.ended() && endedAt != null, corrected,
				!before.recorded() && recording != null);
	}

	private static @Nullable String cut(@Nullable String text, int length) {
		return text == null || text.length() <= length ? text : text.substring(0, length);
	}

	private static Instant earliest(@Nullable Instant current, Instant candidate) {
		return current == null || candidate.isBefore(current) ? candidate : current;
	}

	CallId id() {
		return CallId.of(id);
	}

	/**
	 * For Spring Data's is-new check on save, which reads the version as a bean property: without a getter it throws
	 * (and catches) an exception on every save before falling back to the field.
	 */
	public @Nullable Long getVersion() {
		return version;
	}

	ProviderConnectionId connectionId() {
		return ProviderConnectionId.of(connectionId);
	}

	@Nullable UserId agent() {
		return agentId == null ? null : UserId.of(agentId);
	}

	/** Whether {@code user} is the call's agent. */
	boolean agentIs(@Nullable UserId user) {
		return user != null && user.value().equals(agentId);
	}

	@Nullable String agentName() {
		return agentName;
	}

	@Nullable String agentExtension() {
		return agentExtension;
	}

	boolean inbound() {
		return "inbound".equals(direction);
	}

	String number() {
		return number;
	}

	boolean recordingWanted() {
		return record;
	}

	boolean isEnded() {
		return endedAt != null;
	}

	CallStatus status() {
		return CallStatus.valueOf(status);
	}

	@Nullable CallOutcome outcome() {
		return outcome == null ? null : CallOutcome.valueOf(outcome);
	}

	@Nullable TicketId ticket() {
		return ticketId == null ? null : TicketId.of(ticketId);
	}

	@Nullable Instant answeredAt() {
		return answeredAt;
	}

	@Nullable Instant endedAt() {
		return endedAt;
	}

	Instant requestedAt() {
		return requestedAt;
	}

	long talkSeconds() {
		return talkSeconds;
	}

	@Nullable String recording() {
		return recording;
	}

	String tenant() {
		return java.util.Objects.requireNonNull(tenantId);
	}

	@Nullable String hangupCause() {
		return cause(hangupCode, hangupText);
	}

	/** A cause as people read it, e.g. {@code 17 User busy}. */
	private static @Nullable String cause(@Nullable String code, @Nullable String text) {
		return code == null ? text : text == null ? code : code + " " + text;
	}

	CallDetails toDetails() {
		return new CallDetails(id(), status(), outcome(), direction, agent(), agentName, agentExtension, number,
				contactId == null ? null : ContactId.of(contactId), ticket(),
				ProviderKind.of(providerKind.toLowerCase(Locale.ROOT)), requestedAt, agentAnsweredAt, answeredAt,
				endedAt, heldSeconds(), talkSeconds, hangupCause(), failureReason, endingRevised, endingEstimated,
				recording != null, note, disposition, transfer(), callerName, dialled,
				queueId == null ? null : QueueId.of(queueId), providerCallId, campaign);
	}
}

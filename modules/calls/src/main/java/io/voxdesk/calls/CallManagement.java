package io.voxdesk.calls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * The calls API of the current tenant: click-to-call and call control for the REST layer and other modules.
 * Connectors report what providers do through {@link io.voxdesk.calls.spi.CallReports}.
 */
public interface CallManagement {

	/**
	 * Starts a click-to-call from the agent's personal extension to the number; the call's progress arrives later.
	 *
	 * @param ticket the ticket the call is about, whose timeline will show it; else the contact's or none.
	 * @throws CallNotPossibleException without an active extension or an enabled provider connection.
	 */
	CallDetails clickToCall(String number, @Nullable TicketId ticket, @Nullable ContactId contact, UserId agent,
			String agentName, CurrentUser viewer);

	Optional<CallDetails> find(CallId id, CurrentUser viewer);

	/** The call, without visibility checks: for Voxdesk's own background work. */
	Optional<CallDetails> find(CallId id);

	/** The ticket's calls, newest first. */
	List<CallDetails> forTicket(TicketId ticket, CurrentUser viewer);

	/** The agent's latest hundred calls, newest first. */
	List<CallDetails> recentOf(UserId agent);

	/**
	 * Hangs up every leg of the call; an unanswered call ends as cancelled.
	 *
	 * @throws CallNotPossibleException if the call has ended.
	 * @throws ProviderException if the provider could not be reached.
	 */
	CallDetails hangUp(CallId id, CurrentUser viewer);

	/**
	 * Puts the customer on hold; hold time is not talk time.
	 *
	 * @throws CallNotPossibleException unless the call is answered and in progress.
	 * @throws ProviderException if the provider refused or cannot hold calls.
	 */
	CallDetails hold(CallId id, CurrentUser viewer);

	CallDetails resume(CallId id, CurrentUser viewer);

	/** Sends DTMF digits to the customer (an IVR on their side, say). */
	CallDetails sendDtmf(CallId id, String digits, CurrentUser viewer);

	/**
	 * Starts a transfer of the customer to an extension or number, inside the call's own conversation: the target
	 * is rung; a blind transfer hands the customer over when it answers, an attended one lets the agent talk to it
	 * first. If the target is busy or does not answer, the customer stays with the agent and the call's
	 * {@link CallTransfer} says what happened.
	 *
	 * @throws CallNotPossibleException unless the call is answered, still the agent's and not being transferred,
	 *     or if its provider cannot transfer calls.
	 * @throws ProviderException if the provider refused to ring the target or could not be reached.
	 */
	CallDetails transfer(CallId id, TransferMode mode, String destination, CurrentUser viewer);

	/**
	 * Transfers the customer to a queue: they wait there like an inbound caller (a new inbound call on the same
	 * contact and ticket, distributed by the queue's routing), and this call ends as transferred, its agent released.
	 *
	 * @throws CallNotPossibleException unless the call is answered, still the agent's and not being transferred,
	 *     or if its provider cannot transfer calls to a queue.
	 */
	CallDetails transferToQueue(CallId id, QueueId queue, CurrentUser viewer);

	/**
	 * Completes an attended transfer whose target answered: the customer goes to the target, the agent is released,
	 * and the call goes on until the customer or the target hangs up; it then ends as transferred.
	 */
	CallDetails completeTransfer(CallId id, CurrentUser viewer);

	/** Cancels the transfer in progress: the target is hung up and the customer is back with the agent. */
	CallDetails cancelTransfer(CallId id, CurrentUser viewer);

	/**
	 * The agent's note and disposition after the call, shown on the ticket's timeline.
	 *
	 * @throws CallNotFoundException unless the viewer is the call's agent or a tenant admin.
	 */
	CallDetails annotate(CallId id, @Nullable String note, @Nullable String disposition, CurrentUser viewer);

	/**
	 * The call's recording for the viewer, and an audit entry when {@code playback} starts (not for each range a
	 * player asks for).
	 */
	Optional<Recording> recording(CallId id, CurrentUser viewer, boolean playback);

	/** Audits that (part of) a call's recording was sent: every byte served is in the audit log. */
	void recordingServed(CallId id, String served);

	/** A stored recording and its media type. */
	record Recording(Resource audio, String mediaType) {
	}

	/**
	 * A voice campaign's call reached a person: its record (direction {@code campaign}, answered, on the contact),
	 * for the campaigns module.
	 */
	CallId campaignCallAnswered(CampaignCall call);

	/** A voice campaign's call ended; one already ended (handed over to an agent) stays as it is. */
	void campaignCallEnded(CallId call, Instant at, @Nullable String cause);
}

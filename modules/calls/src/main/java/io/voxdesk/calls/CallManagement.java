package io.voxdesk.calls;

import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.internal.CallControl;
import io.voxdesk.calls.internal.CallWorkflow;
import io.voxdesk.calls.internal.ClickToCall;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Service;

/**
 * The calls API of the current tenant: click-to-call and call control for the REST layer and other modules.
 * Connectors report what providers do through {@link io.voxdesk.calls.spi.CallReports}.
 */
@Service
public class CallManagement {

	private final CallWorkflow workflow;

	private final CallControl control;

	private final ClickToCall clickToCall;

	CallManagement(CallWorkflow workflow, CallControl control, ClickToCall clickToCall) {
		this.workflow = workflow;
		this.control = control;
		this.clickToCall = clickToCall;
	}

	/**
	 * Starts a click-to-call from the agent's personal extension to the number; the call's progress arrives later.
	 *
	 * @param ticket the ticket the call is about, whose timeline will show it; else the contact's or none.
	 * @throws CallNotPossibleException without an active extension or an enabled provider connection.
	 */
	public CallDetails clickToCall(String number, @Nullable TicketId ticket, @Nullable ContactId contact, UserId agent,
			String agentName, CurrentUser viewer) {
		return clickToCall.place(number, ticket, contact, agent, agentName, viewer);
	}

	public Optional<CallDetails> find(CallId id, CurrentUser viewer) {
		return workflow.find(id, viewer);
	}

	/** The call, without visibility checks: for Voxdesk's own background work. */
	public Optional<CallDetails> find(CallId id) {
		return workflow.find(id, CurrentUser.SYSTEM);
	}

	/** The ticket's calls, newest first. */
	public List<CallDetails> forTicket(TicketId ticket, CurrentUser viewer) {
		return workflow.forTicket(ticket, viewer);
	}

	/** The agent's latest hundred calls, newest first. */
	public List<CallDetails> recentOf(UserId agent) {
		return workflow.recentOf(agent);
	}

	/**
	 * Hangs up every leg of the call; an unanswered call ends as cancelled.
	 *
	 * @throws CallNotPossibleException if the call has ended.
	 * @throws ProviderException if the provider could not be reached.
	 */
	public CallDetails hangUp(CallId id, CurrentUser viewer) {
		return control.hangUp(id, viewer);
	}

	/**
	 * Puts the customer on hold; hold time is not talk time.
	 *
	 * @throws CallNotPossibleException unless the call is answered and in progress.
	 * @throws ProviderException if the provider refused or cannot hold calls.
	 */
	public CallDetails hold(CallId id, CurrentUser viewer) {
		return control.hold(id, viewer);
	}

	public CallDetails resume(CallId id, CurrentUser viewer) {
		return control.resume(id, viewer);
	}

	/** Sends DTMF digits to the customer (an IVR on their side, say). */
	public CallDetails sendDtmf(CallId id, String digits, CurrentUser viewer) {
		return control.sendDtmf(id, digits, viewer);
	}

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
	public CallDetails transfer(CallId id, TransferMode mode, String destination, CurrentUser viewer) {
		return control.transfer(id, mode, destination, viewer);
	}

	/**
	 * Completes an attended transfer whose target answered: the customer goes to the target, the agent is released,
	 * and the call goes on until the customer or the target hangs up; it then ends as transferred.
	 */
	public CallDetails completeTransfer(CallId id, CurrentUser viewer) {
		return control.completeTransfer(id, viewer);
	}

	/** Cancels the transfer in progress: the target is hung up and the customer is back with the agent. */
	public CallDetails cancelTransfer(CallId id, CurrentUser viewer) {
		return control.cancelTransfer(id, viewer);
	}

	/**
	 * The agent's note and disposition after the call, shown on the ticket's timeline.
	 *
	 * @throws CallNotFoundException unless the viewer is the call's agent or a tenant admin.
	 */
	public CallDetails annotate(CallId id, @Nullable String note, @Nullable String disposition, CurrentUser viewer) {
		return workflow.annotate(id, note, disposition, viewer);
	}

	/**
	 * The call's recording for the viewer, and an audit entry when {@code playback} starts (not for each range a
	 * player asks for).
	 */
	public Optional<Recording> recording(CallId id, CurrentUser viewer, boolean playback) {
		return control.recording(id, viewer, playback);
	}

	/** Audits that (part of) a call's recording was sent: every byte served is in the audit log. */
	public void recordingServed(CallId id, String served) {
		control.recordingServed(id, served);
	}

	/** A stored recording and its media type. */
	public record Recording(Resource audio, String mediaType) {
	}

}

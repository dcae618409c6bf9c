package io.voxdesk.calls.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CampaignCall;
import io.voxdesk.calls.TransferMode;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** The {@link CallManagement} of this module, which the root package only declares. */
@Service
class DefaultCallManagement implements CallManagement {

	private final CallWorkflow workflow;

	private final CallControl control;

	private final ClickToCall clickToCall;

	private final QueueTransfers queueTransfers;

	private final InboundReception reception;

	DefaultCallManagement(CallWorkflow workflow, CallControl control, ClickToCall clickToCall,
			QueueTransfers queueTransfers, InboundReception reception) {
		this.reception = reception;
		this.workflow = workflow;
		this.control = control;
		this.clickToCall = clickToCall;
		this.queueTransfers = queueTransfers;
	}

	@Override
	public CallDetails clickToCall(String number, @Nullable TicketId ticket, @Nullable ContactId contact, UserId agent,
			String agentName, CurrentUser viewer) {
		return clickToCall.place(number, ticket, contact, agent, agentName, viewer);
	}

	@Override
	public Optional<CallDetails> find(CallId id, CurrentUser viewer) {
		return workflow.find(id, viewer);
	}

	@Override
	public Optional<CallDetails> find(CallId id) {
		return workflow.find(id, CurrentUser.SYSTEM);
	}

	@Override
	public List<CallDetails> forTicket(TicketId ticket, CurrentUser viewer) {
		return workflow.forTicket(ticket, viewer);
	}

	@Override
	public List<CallDetails> recentOf(UserId agent) {
		return workflow.recentOf(agent);
	}

	@Override
	public CallDetails hangUp(CallId id, CurrentUser viewer) {
		return control.hangUp(id, viewer);
	}

	@Override
	public CallDetails hold(CallId id, CurrentUser viewer) {
		return control.hold(id, viewer);
	}

	@Override
	public CallDetails resume(CallId id, CurrentUser viewer) {
		return control.resume(id, viewer);
	}

	@Override
	public CallDetails sendDtmf(CallId id, String digits, CurrentUser viewer) {
		return control.sendDtmf(id, digits, viewer);
	}

	@Override
	public CallDetails transfer(CallId id, TransferMode mode, String destination, CurrentUser viewer) {
		return control.transfer(id, mode, destination, viewer);
	}

	@Override
	public CallDetails transferToQueue(CallId id, QueueId queue, CurrentUser viewer) {
		return queueTransfers.transfer(id, queue, viewer);
	}

	@Override
	public CallDetails completeTransfer(CallId id, CurrentUser viewer) {
		return control.completeTransfer(id, viewer);
	}

	@Override
	public CallDetails cancelTransfer(CallId id, CurrentUser viewer) {
		return control.cancelTransfer(id, viewer);
	}

	@Override
	public CallDetails annotate(CallId id, @Nullable String note, @Nullable String disposition, CurrentUser viewer) {
		return workflow.annotate(id, note, disposition, viewer);
	}

	@Override
	public Optional<Recording> recording(CallId id, CurrentUser viewer, boolean playback) {
		return control.recording(id, viewer, playback);
	}

	@Override
	public void recordingServed(CallId id, String served) {
		control.recordingServed(id, served);
	}

	@Override
	public CallId campaignCallAnswered(CampaignCall call) {
		return reception.campaignAnswered(call);
	}

	@Override
	public void campaignCallEnded(CallId call, Instant at, @Nullable String cause) {
		reception.campaignEnded(call, at, cause);
	}
}

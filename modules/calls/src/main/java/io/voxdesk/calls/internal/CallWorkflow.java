package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.voxdesk.calls.CallAnswered;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallNotFoundException;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.CallNoted;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.CallTransfer;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.RecordingAvailable;
import io.voxdesk.calls.RecordingPlayed;
import io.voxdesk.calls.TransferMode;
import io.voxdesk.calls.TransferState;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.TransferRequest;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TicketNotFoundException;
import io.voxdesk.tickets.TimelineAppend;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies what providers report to call records, and the agents' changes (hang-up, transfer, note), and
 * publishes the call events the timeline and the live feed react to; {@link ClickToCall} creates the records.
 */
@Service
class CallWorkflow {

	private static final Logger log = LoggerFactory.getLogger(CallWorkflow.class);

	private final Calls calls;

	private final CallEventKeys eventKeys;

	private final TicketManagement tickets;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final CallTimeline timeline;

	private final CallObservers observers;

	private final EntityManager entities;

	private final Clock clock;

	private final CallOffers offers;

	private final Callbacks callbacks;

	CallWorkflow(Calls calls, CallEventKeys eventKeys, TicketManagement tickets, TenantContext context,
			ApplicationEventPublisher events, CallTimeline timeline, CallObservers observers, EntityManager entities,
			CallOffers offers, Callbacks callbacks, Optional<Clock> clock) {
		this.offers = offers;
		this.callbacks = callbacks;
		this.calls = calls;
		this.eventKeys = eventKeys;
		this.tickets = tickets;
		this.context = context;
		this.events = events;
		this.timeline = timeline;
		this.observers = observers;
		this.entities = entities;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/**
	 * Applies a provider event; a repeated event, or one for a call this tenant does not have, changes nothing.
	 *
	 * @return whether the call record changed.
	 */
	@Transactional
	public boolean apply(ProviderCallEvent event) {
		var entries = new ArrayList<TimelineAppend>();
		var changed = applyLocked(List.of(), List.of(event), entries).getFirst();
		timeline.append(entries);
		return changed;
	}

	/**
	 * Applies provider events of the current tenant in one transaction, in the order given: what
	 * {@link #apply(ProviderCallEvent)} does for each, for a batch of events that arrived together. The
	 * {@code call.started} entries of the batch's click-to-calls go first: they were queued before any of their
	 * calls' events.
	 *
	 * @return per event, whether it changed its call record.
	 */
	@Transactional
	public List<Boolean> applyAll(List<CallId> started, List<ProviderCallEvent> batch) {
		// Written once at commit, in JDBC batches: flushing before each query (each timeline append asks for its
		// idempotency key) would check every entity of the batch again per event. The keys of one batch cannot
		// collide (each change adds differently keyed entries); if they did, the unique index fails the batch and
		// the pipeline re-runs its events one by one.
		entities.setFlushMode(FlushModeType.COMMIT);
		var entries = new ArrayList<TimelineAppend>();
		var changed = applyLocked(started, batch, entries);
		timeline.append(entries);
		return changed;
	}

	/**
	 * The {@code call.started} entry of a click-to-call in a transaction of its own, for a committing thread (the
	 * pipeline stopped, at shutdown); see {@link CallEventPipeline#started}.
	 */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public void appendStartedNow(CallId started) {
		var entries = new ArrayList<TimelineAppend>();
		calls.findById(started.value()).ifPresent(call -> timeline.started(call.toDetails(), entries));
		timeline.append(entries);
	}

	/**
	 * Applies the events to their locked calls, after the {@code call.started} entries of {@code started}; the
	 * timeline entries go to {@code entries}. Every call is locked before it is first read: read unlocked first,
	 * a call changed meanwhile by another transaction (the dialer's refusal, a note) would be held in an older
	 * version than the lock returns.
	 */
	private List<Boolean> applyLocked(List<CallId> started, List<ProviderCallEvent> batch,
			List<TimelineAppend> entries) {
		// Locked in id order, so two batches sharing calls cannot deadlock.
		var ids = Stream
			.concat(started.stream().map(CallId::value), batch.stream().map(event -> event.call().value()))
			.distinct()
			.sorted()
			.toList();
		var locked = new HashMap<UUID, CallRecord>();
		calls.findAllForUpdate(ids.toArray(UUID[]::new)).forEach(call -> locked.put(call.id().value(), call));
		for (var call : started) {
			var record = locked.get(call.value());
			if (record != null) {
				timeline.started(record.toDetails(), entries);
			}
		}
		var now = clock.instant();
		var known = batch.stream().filter(event -> locked.containsKey(event.call().value())).toList();
		var firstTimes = eventKeys.firstTime(known, now).iterator();
		var changed = new ArrayList<Boolean>(batch.size());
		for (var event : batch) {
			var call = locked.get(event.call().value());
			if (call == null) {
				log.warn("Ignored {} {} for unknown call {}", event.type(), event.key(), event.call());
				changed.add(false);
			}
			else if (!firstTimes.next()) {
				log.debug("Ignored repeated event {} for call {}", event.key(), event.call());
				changed.add(false);
			}
			else {
				publish(call, call.apply(event, now), entries);
				changed.add(true);
			}
		}
		return changed;
	}

	/** Voxdesk could not place the call; it ends as failed with a reason the agent can read. */
	@Transactional
	public void fail(CallId id, String reason) {
		calls.findForUpdate(id.value()).ifPresent(call -> {
			// The dialer's refusal does not queue behind the event worker, which may not have appended the call's
			// call.started entry yet: it goes first here, and its key makes the worker's append a no-op.
			var entries = new ArrayList<TimelineAppend>();
			timeline.started(call.toDetails(), entries);
			publish(call, call.fail(reason, clock.instant()), entries);
			timeline.append(entries);
		});
	}

	/** Settles a call its provider no longer has (missed events while disconnected, a lost webhook). */
	@Transactional
	public void settleLost(CallId id, String reason, @Nullable Instant endedBy) {
		calls.findForUpdate(id.value())
			.ifPresent(call -> publish(call, call.settleLost(reason, endedBy, clock.instant())));
	}

	/**
	 * Marks the call as cancelled by the agent if it ends unanswered; the caller then asks the provider to hang up.
	 *
	 * @throws CallNotPossibleException if the call has ended already.
	 */
	@Transactional
	public CallDetails requestHangUp(CallId id, CurrentUser viewer) {
		var call = calls.findForUpdate(id.value())
			.filter(found -> visible(found, viewer))
			.orElseThrow(() -> new CallNotFoundException(id));
		if (call.isEnded()) {
			throw new CallNotPossibleException("Call has ended", "Call " + id + " has already ended.");
		}
		call.requestCancel(clock.instant());
		return call.toDetails();
	}

	/**
	 * The call, locked, if the viewer is its agent or a tenant admin and it is in progress.
	 *
	 * @throws CallNotPossibleException if it has ended, or {@code answered} is required and it is still ringing.
	 */
	@Transactional(readOnly = true)
	public CallDetails controllable(CallId id, CurrentUser viewer, boolean answered) {
		return controlled(id, viewer, answered, false).toDetails();
	}

	private CallRecord controlled(CallId id, CurrentUser viewer, boolean answered, boolean lock) {
		var call = (lock ? calls.findForUpdate(id.value()) : calls.findById(id.value()))
			.filter(found -> viewer.admin() || found.agentIs(viewer.user()))
			.orElseThrow(() -> new CallNotFoundException(id));
		if (call.isEnded()) {
			throw new CallNotPossibleException("Call has ended", "Call " + id + " has already ended.");
		}
		if (answered && call.answeredAt() == null) {
			throw new CallNotPossibleException("Call not answered yet",
					"Call " + id + " has not been answered yet; hold, DTMF and transfer need a conversation.");
		}
		if (call.transferCompleted()) {
			throw new CallNotPossibleException("Call handed over", "Call " + id + " was transferred; the customer "
					+ "is with someone else now, and only hanging up is left to do from here.");
		}
		return call;
	}

	/**
	 * Starts a new transfer attempt of a call the viewer controls; the caller then asks the provider to ring the
	 * target.
	 *
	 * @throws CallNotPossibleException unless the call is answered and in progress, still the agent's, and no
	 *     other transfer of it is going on.
	 */
	@Transactional
	public TransferRequest startTransfer(CallId id, TransferMode mode, String destination, CurrentUser viewer) {
		var call = notBeingTransferred(controlled(id, viewer, true, true));
		publish(call, call.startTransfer(mode, destination, clock.instant()));
		return requestOf(call, Objects.requireNonNull(call.transfer()));
	}

	/**
	 * The agent hands the customer to a queue: the record's transfer is complete from now on, so the agent's leg
	 * ending releases them.
	 *
	 * @return the transfer's attempt.
	 * @throws CallNotPossibleException unless the call is answered, the viewer's and not being transferred.
	 */
	@Transactional
	public int handToQueue(CallId id, String queueName, CurrentUser viewer) {
		var call = notBeingTransferred(controlled(id, viewer, true, true));
		var attempt = call.handToQueue(queueName, clock.instant());
		observers.changed(context.currentTenant(), call.toDetails());
		return attempt;
	}

	/** The provider could not move the customer of transfer {@code attempt} to the queue; the record says why. */
	@Transactional
	public void queueTransferRefused(CallId id, int attempt, String reason) {
		calls.findForUpdate(id.value()).ifPresent(call -> publish(call, call.queueTransferRefused(attempt, reason,
				clock.instant())));
	}

	/** @throws CallNotPossibleException if a transfer of the call is in progress. */
	private static CallRecord notBeingTransferred(CallRecord call) {
		var current = call.transfer();
		if (current != null && current.state().inProgress()) {
			throw new CallNotPossibleException("Transfer in progress", "Call " + call.id() + " is already being "
					+ "transferred to " + current.destination() + "; complete or cancel that transfer first.");
		}
		return call;
	}

	/** The provider refused to ring the target of transfer {@code attempt}; the record says why. */
	@Transactional
	public void transferRefused(CallId id, int attempt, String reason) {
		calls.findForUpdate(id.value()).ifPresent(call -> publish(call, call.transferRefused(attempt, reason,
				clock.instant())));
	}

	/**
	 * The transfer in progress, which the agent asks to cancel: the target's end then reads as cancelled.
	 *
	 * @throws CallNotPossibleException if no transfer is in progress.
	 */
	@Transactional
	public TransferRequest requestTransferCancel(CallId id, CurrentUser viewer) {
		var call = controlled(id, viewer, true, true);
		var transfer = inProgress(call);
		call.requestTransferCancel(clock.instant());
		return requestOf(call, transfer);
	}

	/**
	 * The attended transfer the agent asks to complete.
	 *
	 * @throws CallNotPossibleException unless an attended transfer is in progress and its target has answered.
	 */
	@Transactional(readOnly = true)
	public TransferRequest transferToComplete(CallId id, CurrentUser viewer) {
		var call = controlled(id, viewer, true, false);
		var transfer = inProgress(call);
		if (transfer.mode() != TransferMode.ATTENDED) {
			throw new CallNotPossibleException("Blind transfer", "The transfer of call " + id + " to "
					+ transfer.destination() + " is blind: it completes by itself when " + transfer.destination()
					+ " answers.");
		}
		if (transfer.state() != TransferState.ANSWERED) {
			throw new CallNotPossibleException("Target not answered yet", transfer.destination()
					+ " has not answered yet; a transfer can be completed once you have spoken to them.");
		}
		return requestOf(call, transfer);
	}

	/** What the connector needs for the call's transfer, the customer's number (its caller id) included. */
	private static TransferRequest requestOf(CallRecord call, CallTransfer transfer) {
		return new TransferRequest(call.id(), transfer.attempt(), transfer.mode(), transfer.destination(),
				call.number());
	}

	private static CallTransfer inProgress(CallRecord call) {
		var transfer = call.transfer();
		if (transfer == null || !transfer.state().inProgress()) {
			throw new CallNotPossibleException("No transfer in progress", "Call " + call.id() + " is not being "
					+ "transferred" + (transfer == null ? "." : "; its last transfer " + transfer.detail()));
		}
		return transfer;
	}

	/**
	 * Stores the agent's note and disposition (replacing earlier ones) and puts them on the ticket's timeline.
	 *
	 * @throws CallNotFoundException unless the viewer is the call's agent or a tenant admin.
	 */
	@Transactional
	public CallDetails annotate(CallId id, @Nullable String note, @Nullable String disposition, CurrentUser viewer) {
		var call = calls.findForUpdate(id.value())
			.filter(found -> viewer.admin() || found.agentIs(viewer.user()))
			.orElseThrow(() -> new CallNotFoundException(id));
		var now = clock.instant();
		call.annotate(note, disposition, now);
		var details = call.toDetails();
		timeline.noted(details, context.actor(), now);
		observers.changed(context.currentTenant(), details);
		events.publishEvent(new CallNoted(context.currentTenant(), id, call.ticket(), context.actor(), now));
		return details;
	}

	/** The key of the call's stored recording, if the viewer may see the call and it has one. */
	@Transactional(readOnly = true)
	public Optional<String> recordingKey(CallId id, CurrentUser viewer) {
		return calls.findById(id.value()).filter(call -> visible(call, viewer)).map(CallRecord::recording);
	}

	/** Publishes what of the recording was sent, for the audit log. */
	@Transactional
	public void recordingPlayed(CallId id, String served) {
		events.publishEvent(new RecordingPlayed(context.currentTenant(), id, context.actor(), clock.instant(), served));
	}

	/** Whether the call's agent asked to hang up and the call has not ended yet. */
	@Transactional(readOnly = true)
	public boolean hangUpPending(CallId id) {
		return calls.findById(id.value()).map(CallRecord::hangUpPending).orElse(false);
	}

	@Transactional(readOnly = true)
	public Optional<CallDetails> find(CallId id, CurrentUser viewer) {
		return calls.findById(id.value()).filter(call -> visible(call, viewer)).map(CallRecord::toDetails);
	}

	/** The ticket's calls, newest first, if the viewer may see the ticket. */
	@Transactional(readOnly = true)
	public List<CallDetails> forTicket(TicketId ticket, CurrentUser viewer) {
		tickets.find(ticket, viewer).orElseThrow(() -> new TicketNotFoundException("There is no ticket " + ticket + " you can see in your tenant."));
		return calls.findByTicket(ticket.value()).stream().map(CallRecord::toDetails).toList();
	}

	@Transactional(readOnly = true)
	public List<CallDetails> recentOf(UserId agent) {
		return calls.findRecentByAgent(agent.value()).stream().map(CallRecord::toDetails).toList();
	}

	/** The connection's calls that have not ended, oldest first. */
	@Transactional(readOnly = true)
	public List<CallDetails> openCalls(ProviderConnectionId connection) {
		return calls.findOpen(connection.value()).stream().map(CallRecord::toDetails).toList();
	}

	@Transactional(readOnly = true)
	public Optional<ProviderConnectionId> connectionOf(CallId id) {
		return calls.findById(id.value()).map(CallRecord::connectionId);
	}

	private boolean visible(CallRecord call, CurrentUser viewer) {
		if (viewer.seesWholeTenant() || call.agentIs(viewer.user())) {
			return true;
		}
		var ticket = call.ticket();
		return ticket != null && tickets.find(ticket, viewer).isPresent();
	}

	/** Puts what changed on the ticket's timeline, tells the observers after commit, publishes the events. */
	void publish(CallRecord call, CallRecord.Change change) {
		var entries = new ArrayList<TimelineAppend>();
		publish(call, change, entries);
		timeline.append(entries);
	}

	/** The same, with the timeline entries added to {@code entries} for the caller to append. */
	private void publish(CallRecord call, CallRecord.Change change, List<TimelineAppend> entries) {
		var tenant = context.currentTenant();
		if (change.ended() && call.inbound()) {
			// The caller is gone or taken: no agent keeps ringing for them (the connector hangs those legs up).
			offers.cancelRinging(call.id(), clock.instant());
			if (call.status() == CallStatus.MISSED) {
				callbacks.missed(call);
			}
		}
		var callback = call.callback();
		if (callback != null && change.answered()) {
			callbacks.answered(callback, call.id());
		}
		var details = call.toDetails();
		timeline.changed(details, change, entries);
		observers.changed(tenant, details);
		if (change.answered()) {
			events.publishEvent(new CallAnswered(tenant, call.id(), call.ticket(), call.answeredAt()));
		}
		if (change.recorded()) {
			events.publishEvent(new RecordingAvailable(tenant, call.id(), call.ticket(), clock.instant()));
		}
		if (change.ended() || change.endingCorrected()) {
			events.publishEvent(new CallEnded(tenant, call.id(), call.ticket(), call.status(), call.outcome(),
					call.talkSeconds(), call.hangupCause(), change.endingCorrected(), call.endedAt()));
			log.info("Call {} ended: {}{}", call.id(), call.status(), change.endingCorrected() ? " (corrected)" : "");
		}
	}
}

package io.voxdesk.calls.internal;

import java.time.format.DateTimeFormatter;
import java.util.List;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.CallbackDetails;
import io.voxdesk.calls.CallbackId;
import io.voxdesk.calls.CallbackManagement;
import io.voxdesk.calls.CallbackNotFoundException;
import io.voxdesk.calls.CallbackState;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tickets.QueueManagement;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@link CallbackManagement} of this module. An agent sees the tasks of the queues they are a member of, those
 * routed to them and those they took; tenant admins see all.
 */
@Service
class DefaultCallbackManagement implements CallbackManagement {

	private final Callbacks callbacks;

	private final QueueManagement queues;

	private final ClickToCall clickToCall;

	private final Calls calls;

	DefaultCallbackManagement(Callbacks callbacks, QueueManagement queues, ClickToCall clickToCall, Calls calls) {
		this.callbacks = callbacks;
		this.queues = queues;
		this.clickToCall = clickToCall;
		this.calls = calls;
	}

	@Override
	@Transactional(readOnly = true)
	public List<CallbackDetails> list(CurrentUser viewer, boolean includeClosed) {
		return callbacks.all(includeClosed).stream().filter(task -> visible(task, viewer)).toList();
	}

	@Override
	@Transactional
	public CallbackDetails take(CallbackId id, CurrentUser viewer) {
		var me = viewer.requireUser();
		var task = visible(id, viewer);
		if (task.state() == CallbackState.OPEN && callbacks.take(id, me, viewer.displayName())) {
			return callbacks.find(id).orElseThrow();
		}
		var now = callbacks.find(id).orElseThrow();
		refuseUnlessMine(now, viewer);
		return now;
	}

	@Override
	@Transactional
	public CallDetails callBack(CallbackId id, CurrentUser viewer) {
		var me = viewer.requireUser();
		var task = take(id, viewer);
		var call = clickToCall.place(task.number(), task.ticket(), task.contact(), me, viewer.displayName(), viewer);
		calls.findById(call.id().value()).ifPresent(record -> record.fromCallback(id));
		return call;
	}

	@Override
	@Transactional
	public CallbackDetails close(CallbackId id, String reason, CurrentUser viewer) {
		var why = reason == null ? "" : reason.strip();
		if (why.isEmpty() || why.length() > 200) {
			throw InvalidField.problem("Invalid callback", "reason", "Say in 1 to 200 characters why the callback is "
					+ "closed, e.g. \"customer wrote an e-mail instead\".");
		}
		var task = visible(id, viewer);
		if (!viewer.admin()) {
			refuseUnlessMine(task.state() == CallbackState.OPEN ? take(id, viewer) : task, viewer);
		}
		if (!callbacks.close(id, viewer.user(), why)) {
			throw closed(id);
		}
		return callbacks.find(id).orElseThrow();
	}

	/** A task taken by someone else, or closed, cannot be worked on. */
	private static void refuseUnlessMine(CallbackDetails task, CurrentUser viewer) {
		if (task.state() == CallbackState.CLOSED) {
			throw closed(task.id());
		}
		if (task.takenBy() != null && !task.takenBy().equals(viewer.user())) {
			var at = task.takenAt() == null ? "" : " at " + DateTimeFormatter.ISO_INSTANT.format(task.takenAt());
			throw new CallNotPossibleException("Callback taken", "Callback " + task.id() + " was taken by "
					+ task.takenByName() + at + "; one agent calls each customer back.");
		}
	}

	private static CallNotPossibleException closed(CallbackId id) {
		return new CallNotPossibleException("Callback closed", "Callback " + id + " is closed already.");
	}

	private CallbackDetails visible(CallbackId id, CurrentUser viewer) {
		return callbacks.find(id).filter(task -> visible(task, viewer)).orElseThrow(() -> new CallbackNotFoundException(id));
	}

	private boolean visible(CallbackDetails task, CurrentUser viewer) {
		if (viewer.seesWholeTenant()) {
			return true;
		}
		var me = viewer.user();
		if (me == null) {
			return false;
		}
		if (me.equals(task.takenBy()) || me.equals(task.user())) {
			return true;
		}
		var queue = task.queue();
		return queue != null && queues.find(queue).map(found -> found.memberIds().contains(me)).orElse(false);
	}
}

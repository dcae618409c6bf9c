package io.voxdesk.calls;

import java.util.List;

import io.voxdesk.tenants.CurrentUser;

/**
 * Callback tasks of the current tenant: a caller nobody answered leaves one on their queue; an agent of the queue
 * takes it (no two agents take the same task), calls the customer back from it, and it closes when the callback is
 * answered or by hand with a reason. A repeat call from the number while a task is open joins that task.
 */
public interface CallbackManagement {

	/** The tasks the viewer may work on (their queues', their own, every one for admins), newest missed first. */
	List<CallbackDetails> list(CurrentUser viewer, boolean includeClosed);

	/**
	 * The viewer takes the task.
	 *
	 * @throws CallNotPossibleException (409) if another agent took it, or it is closed.
	 */
	CallbackDetails take(CallbackId id, CurrentUser viewer);

	/**
	 * Calls the customer back with click-to-call, on the task's ticket; the viewer takes the task if it is open.
	 *
	 * @return the callback call; when the customer answers it, the task closes.
	 */
	CallDetails callBack(CallbackId id, CurrentUser viewer);

	/** Closes the task by hand. */
	CallbackDetails close(CallbackId id, String reason, CurrentUser viewer);
}

package io.voxdesk.calls;

import io.voxdesk.tickets.QueueId;

/**
 * The call routing of the current tenant's queues, for tenant admins; every saved change publishes a
 * {@link QueueRoutingChanged}, which the audit log keeps.
 */
public interface QueueRoutingManagement {

	/**
	 * The queue's routing, its defaults if nobody saved any.
	 *
	 * @throws io.voxdesk.tickets.QueueNotFoundException if the tenant has no such queue.
	 */
	QueueRouting find(QueueId queue);

	/**
	 * Saves the queue's routing.
	 *
	 * @throws org.springframework.web.ErrorResponseException (400) naming the field, for a value out of range or an
	 *     overflow to the queue itself, to another tenant's queue or to someone who is not a member.
	 */
	QueueRouting save(QueueId queue, QueueRoutingDraft draft);
}

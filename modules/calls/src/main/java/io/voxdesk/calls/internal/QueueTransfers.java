package io.voxdesk.calls.internal;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.calls.spi.Capability;
import io.voxdesk.calls.spi.QueueTransfer;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Transfers to a queue: the agent hands the customer over (the record's transfer completes at once, so the agent's
 * leg ending releases them), the provider moves the customer into the queue's waiting room, and the customer waits
 * there as a new inbound call on the same contact and ticket, distributed like any caller. Three steps, each in a
 * transaction of its own around the provider's work, which must not hold a database connection.
 */
@Component
class QueueTransfers {

	private static final Logger log = LoggerFactory.getLogger(QueueTransfers.class);

	private final CallWorkflow workflow;

	private final CallControl control;

	private final InboundReception reception;

	private final QueueManagement queues;

	private final QueueRoutingManagement routing;

	QueueTransfers(CallWorkflow workflow, CallControl control, InboundReception reception, QueueManagement queues,
			QueueRoutingManagement routing) {
		this.workflow = workflow;
		this.control = control;
		this.reception = reception;
		this.queues = queues;
		this.routing = routing;
	}

	/**
	 * @throws org.springframework.web.ErrorResponseException (400) for a queue the tenant does not have.
	 * @throws io.voxdesk.calls.CallNotPossibleException unless the call is answered, the viewer's and not being
	 *     transferred, or when its provider cannot transfer to a queue.
	 * @throws ProviderException when the provider could not move the customer (they stay with the agent).
	 */
	CallDetails transfer(CallId id, QueueId queue, CurrentUser viewer) {
		workflow.controllable(id, viewer, true);
		var connection = control.connectionOf(id);
		var connector = control.capable(connection, Capability.QUEUE_TRANSFER, "transfer calls to a queue");
		var name = queues.find(queue)
			.map(QueueDetails::name)
			.orElseThrow(() -> InvalidField.problem("Unknown queue", "queueId", "There is no queue " + queue
					+ " in your organization."));
		var settings = routing.find(queue);
		var attempt = workflow.handToQueue(id, name, viewer);
		var queued = CallId.random();
		String line;
		try {
			line = connector.transferToQueue(connection, new QueueTransfer(id, queued, settings.musicClass(),
					settings.greeting()));
		}
		catch (RuntimeException ex) {
			workflow.queueTransferRefused(id, attempt, String.valueOf(ex.getMessage()));
			throw ex;
		}
		try {
			reception.transferredIn(id, queued, queue, line);
		}
		catch (RuntimeException ex) {
			// The customer waits in the PBX's waiting room without a record: let them go rather than forget them.
			log.error("Call {}: the queued call {} could not be recorded; letting the customer go", id, queued, ex);
			connector.release(connection, queued, null);
			throw ex;
		}
		return workflow.find(id, viewer).orElseThrow();
	}
}

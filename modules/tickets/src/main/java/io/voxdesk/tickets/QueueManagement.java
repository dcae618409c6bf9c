package io.voxdesk.tickets;

import java.util.List;
import java.util.Optional;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.internal.QueueWorkflow;

import org.springframework.stereotype.Service;

/** The current tenant's queues (departments) and their member agents. */
@Service
public class QueueManagement {

	private final QueueWorkflow workflow;

	QueueManagement(QueueWorkflow workflow) {
		this.workflow = workflow;
	}

	/**
	 * @throws TicketConflictException if the tenant has a queue of that name (ignoring case).
	 * @throws UnknownReferenceException if a member is not an agent or admin of the tenant.
	 */
	public QueueDetails create(String name, List<UserId> memberIds) {
		return workflow.create(name, memberIds);
	}

	/** Renames the queue and replaces its members. */
	public QueueDetails change(QueueId id, String name, List<UserId> memberIds) {
		return workflow.change(id, name, memberIds);
	}

	public Optional<QueueDetails> find(QueueId id) {
		return workflow.find(id);
	}

	public List<QueueDetails> list() {
		return workflow.list();
	}

	/** @throws TicketConflictException while the queue has pending or open tickets. */
	public void delete(QueueId id) {
		workflow.delete(id);
	}
}

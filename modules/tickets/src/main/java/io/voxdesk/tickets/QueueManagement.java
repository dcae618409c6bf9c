package io.voxdesk.tickets;

import java.util.List;
import java.util.Optional;

import io.voxdesk.tenants.UserId;

/** The current tenant's queues (departments) and their member agents. */
public interface QueueManagement {

	/**
	 * @throws TicketConflictException if the tenant has a queue of that name (ignoring case).
	 * @throws UnknownReferenceException if a member is not an agent or admin of the tenant.
	 */
	QueueDetails create(String name, List<UserId> memberIds);

	/** Renames the queue and replaces its members. */
	QueueDetails change(QueueId id, String name, List<UserId> memberIds);

	Optional<QueueDetails> find(QueueId id);

	List<QueueDetails> list();

	/** @throws TicketConflictException while the queue has pending or open tickets. */
	void delete(QueueId id);
}

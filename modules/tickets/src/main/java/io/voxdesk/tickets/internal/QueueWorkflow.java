package io.voxdesk.tickets.internal;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueNotFoundException;
import io.voxdesk.tickets.TicketConflictException;
import io.voxdesk.tickets.TicketStatus;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, changes and removes the current tenant's queues; members must be agents or admins of the tenant. */
@Service
class QueueWorkflow {

	private final TicketQueues queues;

	private final Tickets tickets;

	private final TicketHandlers handlers;

	private final Clock clock = Clock.systemUTC();

	QueueWorkflow(TicketQueues queues, Tickets tickets, TicketHandlers handlers) {
		this.queues = queues;
		this.tickets = tickets;
		this.handlers = handlers;
	}

	@Transactional
	public QueueDetails create(String name, List<UserId> memberIds) {
		var queueName = name(name);
		refuseTakenName(queueName, null);
		var queue = new TicketQueue(QueueId.random(), queueName, clock.instant());
		queue.change(queueName, checked(memberIds), clock.instant());
		return queues.save(queue).toDetails();
	}

	@Transactional
	public QueueDetails change(QueueId id, String name, List<UserId> memberIds) {
		var queue = queues.findById(id.value()).orElseThrow(() -> notFound(id));
		var queueName = name(name);
		refuseTakenName(queueName, id);
		queue.change(queueName, checked(memberIds), clock.instant());
		return queues.saveAndFlush(queue).toDetails();
	}

	@Transactional(readOnly = true)
	public Optional<QueueDetails> find(QueueId id) {
		return queues.findById(id.value()).map(TicketQueue::toDetails);
	}

	@Transactional(readOnly = true)
	public List<QueueDetails> list() {
		return queues.findAllByOrderByNameAsc().stream().map(TicketQueue::toDetails).toList();
	}

	/**
	 * Removes a queue that has no pending or open tickets; its closed tickets keep their timeline but no longer
	 * name the queue.
	 */
	@Transactional
	public void delete(QueueId id) {
		var queue = queues.findById(id.value()).orElseThrow(() -> notFound(id));
		var active = tickets.countByQueueIdAndStatusNot(id.value(), TicketStatus.CLOSED);
		if (active > 0) {
			throw new TicketConflictException("Queue '" + queue.name() + "' still has " + active
					+ " pending or open ticket(s); transfer or close them first.");
		}
		tickets.detachFromQueue(id.value());
		queues.delete(queue);
	}

	private List<UserId> checked(List<UserId> memberIds) {
		var distinct = List.copyOf(new LinkedHashSet<>(memberIds));
		distinct.forEach(id -> handlers.require(id, "a queue"));
		return distinct;
	}

	private void refuseTakenName(String name, @Nullable QueueId self) {
		queues.findByNameIgnoringCase(name).filter(other -> !other.id().equals(self)).ifPresent(other -> {
			throw new TicketConflictException("Your tenant already has a queue named '" + other.name() + "'.");
		});
	}

	private static String name(String name) {
		var stripped = name.strip();
		if (stripped.isEmpty() || stripped.length() > 100) {
			throw TicketProblems.badRequest("Invalid queue name", "A queue name needs 1 to 100 characters.");
		}
		return stripped;
	}

	private static QueueNotFoundException notFound(QueueId id) {
		return new QueueNotFoundException("There is no queue " + id + " in your tenant.");
	}
}

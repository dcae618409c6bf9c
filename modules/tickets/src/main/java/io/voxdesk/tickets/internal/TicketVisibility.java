package io.voxdesk.tickets.internal;

import java.util.List;
import java.util.UUID;

import io.voxdesk.tenants.CurrentUser;

import org.springframework.stereotype.Component;

/**
 * Who sees which ticket: tenant admins and Voxdesk itself see all of them, an agent the tickets assigned to them
 * and those of the queues they belong to.
 */
@Component
class TicketVisibility {

	/** Matches no queue: an empty list would make the list query's {@code in} clause invalid. */
	static final UUID NO_QUEUE = new UUID(0, 0);

	private final TicketQueues queues;

	TicketVisibility(TicketQueues queues) {
		this.queues = queues;
	}

	boolean visible(Ticket ticket, CurrentUser viewer) {
		var user = viewer.user();
		if (viewer.seesWholeTenant()) {
			return true;
		}
		if (user == null) {
			return false;
		}
		var queue = ticket.queue();
		return user.equals(ticket.assignee()) || queue != null && queues.idsWithMember(user.value()).contains(queue.value());
	}

	/** The queues whose tickets the viewer sees beyond their own, never empty (see {@link #NO_QUEUE}). */
	List<UUID> queuesOf(CurrentUser viewer) {
		var user = viewer.user();
		var ids = user == null ? List.<UUID>of() : queues.idsWithMember(user.value());
		return ids.isEmpty() ? List.of(NO_QUEUE) : ids;
	}
}

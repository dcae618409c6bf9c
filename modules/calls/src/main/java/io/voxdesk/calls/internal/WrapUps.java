package io.voxdesk.calls.internal;

import java.time.Instant;
import java.util.Map;

import io.voxdesk.calls.QueueRouting;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueNotFoundException;

import org.springframework.stereotype.Component;

/**
 * The one wrap-up rule, for distribution and for the presence agents see: after a call, an agent wraps up for the
 * wrap-up time of the queue that call came from; a click-to-call (no queue) and a deleted queue give none.
 */
@Component
class WrapUps {

	private final Calls calls;

	private final QueueRoutingManagement routing;

	WrapUps(Calls calls, QueueRoutingManagement routing) {
		this.calls = calls;
		this.routing = routing;
	}

	/** Whether the agent is wrapping up at {@code now}; {@code routings} caches queue settings for one pass. */
	boolean wrappingUp(UserId user, Instant now, Map<QueueId, QueueRouting> routings) {
		var last = calls.findFirstByAgentIdOrderByRequestedAtDesc(user.value()).orElse(null);
		var ended = last == null ? null : last.endedAt();
		var queue = last == null ? null : last.queue();
		if (ended == null || queue == null) {
			return false;
		}
		try {
			return ended.plusSeconds(routings.computeIfAbsent(queue, routing::find).wrapUpSeconds()).isAfter(now);
		}
		catch (QueueNotFoundException ex) {
			return false;
		}
	}
}

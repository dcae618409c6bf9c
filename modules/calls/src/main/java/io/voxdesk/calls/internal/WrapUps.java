package io.voxdesk.calls.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.voxdesk.calls.QueueRouting;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueNotFoundException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one wrap-up rule, for distribution and for the presence agents see: after a call, an agent wraps up for the
 * wrap-up time of the queue that call came from; a click-to-call (no queue) and a deleted queue give none.
 */
@Component
class WrapUps {

	private final QueueRoutingManagement routing;

	private final JdbcClient jdbc;

	WrapUps(QueueRoutingManagement routing, JdbcClient jdbc) {
		this.routing = routing;
		this.jdbc = jdbc;
	}

	/** Whether the agent is wrapping up at {@code now}; {@code routings} caches queue settings for one pass. */
	boolean wrappingUp(UserId user, Instant now, Map<QueueId, QueueRouting> routings) {
		return wrappingUp(Set.of(user), now, routings).contains(user);
	}

	/**
	 * Which of {@code users} are wrapping up at {@code now}, by the same rule, read in one statement: a distribution
	 * pass asks for a whole queue at once.
	 */
	Set<UserId> wrappingUp(Collection<UserId> users, Instant now, Map<QueueId, QueueRouting> routings) {
		var wrapping = new HashSet<UserId>();
		if (users.isEmpty()) {
			return wrapping;
		}
		// Each agent's latest call through the agent's index, one entry each: a distinct-on over their calls read
		// every call they ever had, on every distribution pass.
		jdbc.sql("""
				select a.agent_id, c.ended_at, c.queue_id
				  from unnest(cast(:agents as varchar[])) as a(agent_id)
				  cross join lateral (select ended_at, queue_id from calls
				                       where agent_id = a.agent_id order by requested_at desc limit 1) c""")
			.param("agents", users.stream().map(UserId::value).toArray(String[]::new))
			.query((rs, row) -> {
				var ended = rs.getTimestamp("ended_at");
				var queue = rs.getObject("queue_id", UUID.class);
				if (ended != null && queue != null) {
					try {
						var wrapUp = routings.computeIfAbsent(QueueId.of(queue), routing::find).wrapUpSeconds();
						if (ended.toInstant().plusSeconds(wrapUp).isAfter(now)) {
							wrapping.add(UserId.of(rs.getString("agent_id")));
						}
					}
					catch (QueueNotFoundException ex) {
						// A deleted queue gives no wrap-up, as for one agent.
					}
				}
				return Boolean.TRUE;
			})
			.list();
		return wrapping;
	}
}

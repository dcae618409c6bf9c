package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;

/**
 * How a ticket queue distributes the calls that reach it. Kept by the calls module, keyed by the queue's id, so the
 * ticketing core knows nothing of calls.
 *
 * @param ringSeconds how long one agent's phone rings before the next is tried.
 * @param maxWaitSeconds how long a caller waits at most before the overflow.
 * @param wrapUpSeconds how long an agent gets after a call before the queue offers them another.
 * @param musicClass the PBX's music on hold class waiting callers hear.
 * @param greeting what a caller hears before the music: a sound of the PBX, such as {@code queue-thankyou}, or
 *     {@code audio:<id>} for an item of the tenant's audio library.
 * @param customized whether a tenant admin saved these settings; otherwise they are the defaults.
 */
public record QueueRouting(QueueId queue, RoutingStrategy strategy, int ringSeconds, int maxWaitSeconds,
		int wrapUpSeconds, String musicClass, @Nullable String greeting, QueueOverflow overflow, boolean customized,
		@Nullable Instant updatedAt) {

	/** Ring everyone for 20 s, let callers wait 5 minutes, give agents 10 s after each call. */
	public static QueueRouting defaults(QueueId queue) {
		return new QueueRouting(queue, RoutingStrategy.RING_ALL, 20, 300, 10, "default", null, QueueOverflow.HANG_UP,
				false, null);
	}
}

package io.voxdesk.calls;

import org.jspecify.annotations.Nullable;

/** A queue's call routing as a tenant admin saves it; see {@link QueueRouting}. */
public record QueueRoutingDraft(RoutingStrategy strategy, int ringSeconds, int maxWaitSeconds, int wrapUpSeconds,
		String musicClass, @Nullable String greeting, QueueOverflow overflow) {
}

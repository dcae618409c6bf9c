package io.voxdesk.calls.spi;

import io.voxdesk.calls.CallId;

import org.jspecify.annotations.Nullable;

/**
 * Voxdesk asks the connector to ring one agent for a waiting inbound caller.
 *
 * @param offer the offer's number within the call (from 1): the connector names the agent's leg with it and reports
 *     its answer or end with it.
 * @param agentExtension the extension to ring.
 * @param callerNumber the caller's number, shown on the agent's phone.
 * @param callerName the caller's name as the network gave it, if any.
 * @param ringSeconds how long the agent's phone rings before the offer counts as not answered.
 */
public record AgentOffer(CallId call, int offer, String agentExtension, String callerNumber,
		@Nullable String callerName, int ringSeconds) {
}

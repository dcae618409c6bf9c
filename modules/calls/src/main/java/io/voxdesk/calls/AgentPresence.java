package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/**
 * An agent's presence in their tenant.
 *
 * @param state what the agent is now: their chosen state, or on a call / wrap-up while those last.
 * @param chosen what the agent chose: available (the default of an agent who never chose), away or offline.
 * @param reason why they are away, from the tenant's list, or why Voxdesk made them offline.
 * @param since when they chose it.
 */
public record AgentPresence(UserId user, String username, PresenceState state, PresenceState chosen,
		@Nullable String reason, @Nullable Instant since) {
}

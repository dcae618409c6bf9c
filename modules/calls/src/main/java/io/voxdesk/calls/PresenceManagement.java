package io.voxdesk.calls;

import java.time.Instant;
import java.util.List;

import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/**
 * Agents' presence in the current tenant: whether each can take calls now. Only available agents are rung for
 * inbound calls; every change publishes a {@link PresenceChanged}.
 */
public interface PresenceManagement {

	AgentPresence of(UserId user);

	/** The presence of every agent and admin of the tenant. */
	List<AgentPresence> all();

	/**
	 * The agent chooses a presence. An agent who stops being available while rung for a caller stops being rung.
	 *
	 * @throws org.springframework.web.ErrorResponseException (400) for a derived state, or an away reason not in
	 *     the tenant's list.
	 */
	AgentPresence choose(UserId user, PresenceState state, @Nullable String reason);

	/**
	 * The webphone of the user stayed disconnected from one instance past the grace period: they are offline until
	 * they choose again, unless another instance has them connected (its confirmation is fresh). A choice made after
	 * {@code disconnectedAt} (from another device, say) stands.
	 */
	void connectionLost(UserId user, Instant disconnectedAt);

	/** Instance {@code instance} has the user's webphone connected now (sent again while it stays connected). */
	void connected(UserId user, String instance);

	/** Instance {@code instance} no longer has the user's webphone connected. */
	void disconnected(UserId user, String instance);

	/** The reasons an agent may give for being away, such as lunch or training. */
	List<String> awayReasons();

	List<String> changeAwayReasons(List<String> reasons);
}

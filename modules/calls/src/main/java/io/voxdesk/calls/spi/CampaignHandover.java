package io.voxdesk.calls.spi;

import java.time.Instant;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;

/**
 * A campaign's call a key hands to a queue or to a user: the person waits for an agent as inbound call
 * {@code queued}, on the provider's line {@code line}, and the campaign's call {@code call} ends as transferred.
 * Exactly one of {@code queue} and {@code user} is set.
 */
public record CampaignHandover(CallId call, CallId queued, ProviderConnectionId connection, String line,
		@Nullable QueueId queue, @Nullable UserId user, Instant at) {

	public CampaignHandover {
		if ((queue == null) == (user == null)) {
			throw new IllegalArgumentException("a campaign's call is handed to a queue or to a user");
		}
	}
}

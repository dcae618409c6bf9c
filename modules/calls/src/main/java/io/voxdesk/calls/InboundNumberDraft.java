package io.voxdesk.calls;

import java.util.Objects;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;

/**
 * What a tenant admin sends to route a number: which connection it arrives on, and the queue or the one user its
 * calls go to (exactly one of the two).
 *
 * @param number as typed; stored in E.164, a national spelling read in the tenant's region.
 */
public record InboundNumberDraft(ProviderConnectionId connection, String number, @Nullable QueueId queue,
		@Nullable UserId user) {

	public InboundNumberDraft {
		Objects.requireNonNull(connection);
		Objects.requireNonNull(number);
	}
}

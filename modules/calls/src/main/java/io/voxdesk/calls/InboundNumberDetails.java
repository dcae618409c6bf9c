package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;

/**
 * An inbound number as the API shows it.
 *
 * @param number in E.164, e.g. {@code +554833328530}.
 * @param queue the ticket queue its calls go to, or {@literal null} when they go to {@code user}.
 */
public record InboundNumberDetails(InboundNumberId id, ProviderConnectionId connection, String number,
		@Nullable QueueId queue, @Nullable UserId user, Instant createdAt, Instant updatedAt) {
}

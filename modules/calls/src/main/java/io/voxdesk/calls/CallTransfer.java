package io.voxdesk.calls;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The latest transfer of a call, as clients see it.
 *
 * @param attempt which transfer of the call this is, from 1.
 * @param destination the extension or number the agent gave.
 * @param detail what happened, in words a person understands, e.g. {@code 1002 was busy (17 User busy)}.
 * @param answeredAt when the target answered.
 * @param completedAt when the customer was handed to the target and the agent released.
 * @param endedAt when the target's leg ended, or when Voxdesk gave the transfer up.
 */
public record CallTransfer(int attempt, TransferMode mode, String destination, TransferState state,
		@Nullable String detail, Instant requestedAt, @Nullable Instant answeredAt, @Nullable Instant completedAt,
		@Nullable Instant endedAt) {
}

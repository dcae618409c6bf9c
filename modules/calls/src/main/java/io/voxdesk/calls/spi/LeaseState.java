package io.voxdesk.calls.spi;

import java.time.Instant;

import io.voxdesk.calls.ProviderConnectionId;

import org.jspecify.annotations.Nullable;

/**
 * A connection's lease as the database has it, for health: who holds it since when, and the last takeover.
 *
 * @param expired whether it ran out or was released, by the database's clock: anyone may take it.
 * @param lastTakeoverCause why the holder before lost it (its lease expired, or it released it).
 */
public record LeaseState(ProviderConnectionId connection, String holder, long token, Instant acquiredAt,
		Instant renewedAt, Instant expiresAt, boolean expired, @Nullable String previousHolder,
		@Nullable Instant lastTakeoverAt, @Nullable String lastTakeoverCause) {
}

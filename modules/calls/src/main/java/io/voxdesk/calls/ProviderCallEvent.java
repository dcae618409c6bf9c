package io.voxdesk.calls;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Something a provider reported about a call, already normalized by its connector. Applying the same event twice
 * changes nothing (the key says which events are the same), and events may arrive in any order.
 *
 * @param call the call record it belongs to.
 * @param key identifies the provider fact, e.g. {@code ari:ChannelDestroyed:1795300143.0}; unique per call.
 * @param type what happened.
 * @param leg which half of the call it happened to.
 * @param occurredAt when the provider says it happened.
 * @param providerCallId the provider's id for the call or leg, kept on the record for reconciliation.
 * @param cause why a leg ended, for {@link Type#ENDED}.
 * @param recording where the connector stored the recording, for {@link Type#RECORDING_AVAILABLE}.
 */
public record ProviderCallEvent(CallId call, String key, Type type, CallLeg leg, Instant occurredAt,
		@Nullable String providerCallId, @Nullable HangupCause cause, @Nullable String recording) {

	public ProviderCallEvent {
		Objects.requireNonNull(call);
		Objects.requireNonNull(type);
		Objects.requireNonNull(leg);
		Objects.requireNonNull(occurredAt);
		if (key == null || key.isBlank() || key.length() > 200) {
			throw new IllegalArgumentException("A provider event key must have 1 to 200 characters");
		}
	}

	/** The kinds of provider fact a call record is built from. */
	public enum Type {
		RINGING, ANSWERED, HELD, RESUMED, ENDED, RECORDING_AVAILABLE
	}
}

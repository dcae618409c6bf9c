package io.voxdesk.calls.spi;

import java.time.Instant;
import java.util.Objects;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.HangupCause;

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
 * @param transfer for facts about the {@link CallLeg#TARGET} leg, the transfer attempt they belong to
 *     ({@link TransferRequest#attempt()}); 0 otherwise.
 */
public record ProviderCallEvent(CallId call, String key, Type type, CallLeg leg, Instant occurredAt,
		@Nullable String providerCallId, @Nullable HangupCause cause, @Nullable String recording, int transfer) {

	/** A fact about the agent's or the customer's leg. */
	public ProviderCallEvent(CallId call, String key, Type type, CallLeg leg, Instant occurredAt,
			@Nullable String providerCallId, @Nullable HangupCause cause, @Nullable String recording) {
		this(call, key, type, leg, occurredAt, providerCallId, cause, recording, 0);
	}

	/** A fact about the target of transfer attempt {@code transfer}. */
	public static ProviderCallEvent ofTarget(CallId call, int transfer, String key, Type type, Instant occurredAt,
			@Nullable String providerCallId, @Nullable HangupCause cause) {
		return new ProviderCallEvent(call, key, type, CallLeg.TARGET, occurredAt, providerCallId, cause, null, transfer);
	}

	public ProviderCallEvent {
		Objects.requireNonNull(call);
		Objects.requireNonNull(type);
		Objects.requireNonNull(leg);
		Objects.requireNonNull(occurredAt);
		if (key == null || key.isBlank() || key.length() > 200) {
			throw new IllegalArgumentException("A provider event key must have 1 to 200 characters");
		}
		if ((leg == CallLeg.TARGET) != (transfer > 0)) {
			throw new IllegalArgumentException("Facts about a transfer's target, and only they, name their attempt");
		}
		if (type == Type.TRANSFERRED && leg != CallLeg.TARGET) {
			throw new IllegalArgumentException("A transfer is completed by its target's leg");
		}
	}

	/** The kinds of provider fact a call record is built from. */
	public enum Type {
		RINGING, ANSWERED, HELD, RESUMED, ENDED, RECORDING_AVAILABLE,

		/** The customer was handed to the transfer's target and the agent is being released. */
		TRANSFERRED
	}
}

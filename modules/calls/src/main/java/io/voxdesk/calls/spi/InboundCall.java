package io.voxdesk.calls.spi;

import java.time.Instant;
import java.util.Objects;

import io.voxdesk.calls.ProviderConnectionId;

import org.jspecify.annotations.Nullable;

/**
 * A call that reached the tenant through one of its provider connections, as the connector saw it arrive.
 *
 * @param providerCallId the provider's id of the caller's call (an ARI channel id, API4COM's call id): the same
 *     id arriving again is the same call.
 * @param from the caller's number as the network gave it, in any spelling; empty when it was withheld.
 * @param callerName the caller's name as the network gave it, if any.
 * @param dialled the number the caller dialled as the provider gave it; {@literal null} when the provider did not
 *     say, or said something that is not a number (the connector's reason goes in {@code unrecognised}).
 * @param unrecognised why the connector could not make sense of the call (an ARI {@code StasisStart} with
 *     arguments it does not know), in words an administrator understands; such a call is refused.
 * @param extension the extension the provider itself routed the call to (API4COM's ring groups), for providers
 *     that route inbound calls themselves: the call is recorded for that extension's user and Voxdesk does not
 *     route or distribute it. {@literal null} when Voxdesk routes the call by its number.
 */
public record InboundCall(ProviderConnectionId connection, String providerCallId, String from,
		@Nullable String callerName, @Nullable String dialled, Instant arrivedAt, @Nullable String unrecognised,
		@Nullable String extension) {

	public InboundCall {
		Objects.requireNonNull(connection);
		Objects.requireNonNull(arrivedAt);
		if (providerCallId == null || providerCallId.isBlank() || providerCallId.length() > 200) {
			throw new IllegalArgumentException("A provider call id must have 1 to 200 characters");
		}
		from = from == null ? "" : from.strip();
	}

	/** A call on a number, as the provider announced it. */
	public static InboundCall of(ProviderConnectionId connection, String providerCallId, String from,
			@Nullable String callerName, String dialled, Instant arrivedAt) {
		return new InboundCall(connection, providerCallId, from, callerName, dialled, arrivedAt, null, null);
	}

	/** A call the provider routed to one of the tenant's extensions itself. */
	public static InboundCall routedTo(ProviderConnectionId connection, String providerCallId, String from,
			@Nullable String extension, Instant arrivedAt) {
		return new InboundCall(connection, providerCallId, from, null, null, arrivedAt, null, extension);
	}
}

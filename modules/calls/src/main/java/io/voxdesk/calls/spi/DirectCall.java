package io.voxdesk.calls.spi;

import java.time.Instant;

import io.voxdesk.calls.ProviderConnectionId;

/**
 * A call an agent's extension placed on the provider without Voxdesk (dialled on a desk phone, say), which the
 * connector learnt of: recorded for the extension's user so that no call bypasses the records.
 *
 * @param providerCallId the provider's id of the call: the same id reported again is the same call.
 * @param extension the extension that placed it.
 * @param number the number it dialled, as the provider gave it.
 */
public record DirectCall(ProviderConnectionId connection, String providerCallId, String extension, String number,
		Instant startedAt) {
}

package io.voxdesk.calls.spi;

import io.voxdesk.calls.CallId;

import org.jspecify.annotations.Nullable;

/**
 * What Voxdesk decided about an arriving call, and the record that keeps it.
 *
 * @param call the inbound call's record.
 * @param refusal why the call is refused (a number nobody routed, a call the connector could not read); the
 *     connector then ends it as an unallocated number (Q.850 cause 1). {@literal null} for an accepted call, which
 *     waits for an agent.
 */
public record InboundRoute(CallId call, @Nullable String refusal) {

	public boolean refused() {
		return refusal != null;
	}
}

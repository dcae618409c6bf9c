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
 * @param musicClass the music on hold class an accepted caller hears while Voxdesk rings agents.
 * @param greeting what an accepted caller hears first, before the music: a sound of the PBX, or {@code audio:<id>}
 *     for an item of the tenant's audio library, which the connector plays from Voxdesk ({@code AudioLinks});
 *     {@literal null} for none.
 */
public record InboundRoute(CallId call, @Nullable String refusal, @Nullable String musicClass,
		@Nullable String greeting) {

	public static InboundRoute refused(CallId call, String refusal) {
		return new InboundRoute(call, refusal, null, null);
	}

	public static InboundRoute accepted(CallId call, String musicClass) {
		return new InboundRoute(call, null, musicClass, null);
	}

	public static InboundRoute accepted(CallId call, String musicClass, @Nullable String greeting) {
		return new InboundRoute(call, null, musicClass, greeting);
	}

	public boolean refused() {
		return refusal != null;
	}
}

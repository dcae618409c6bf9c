package io.voxdesk.testing.arisim;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one live channel of the simulator.
 *
 * @param state the ARI channel state ({@code Down}, {@code Ring}, {@code Ringing}, {@code Up}, {@code Busy})
 * @param endpoint the endpoint the channel was originated to, e.g. {@code PJSIP/1001}
 * @param bridgeId the bridge the channel is in, if any
 * @param number the dialled number or extension, e.g. {@code 1001} for {@code PJSIP/1001} and
 * {@code 5548999990000} for {@code PJSIP/5548999990000@trunk}
 * @param variables the variables of the originate as given, dialplan functions such as
 * {@code PJSIP_HEADER(add,X-Voxdesk-Call-Id)} included
 */
public record SimChannel(String id, String name, String state, String endpoint, @Nullable String bridgeId,
		String number, Map<String, String> variables) {

	public SimChannel {
		variables = Map.copyOf(variables);
	}

	/** A snapshot without dialled number and originate variables. */
	public SimChannel(String id, String name, String state, String endpoint, @Nullable String bridgeId) {
		this(id, name, state, endpoint, bridgeId, "", Map.of());
	}
}

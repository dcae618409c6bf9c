package io.voxdesk.testing.arisim;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one live channel of the simulator.
 *
 * @param state the ARI channel state ({@code Down}, {@code Ring}, {@code Ringing}, {@code Up}, {@code Busy})
 * @param endpoint the endpoint the channel was originated to, e.g. {@code PJSIP/1001}
 * @param bridgeId the bridge the channel is in, if any
 */
public record SimChannel(String id, String name, String state, String endpoint, @Nullable String bridgeId) {
}

package io.voxdesk.calls.spi;

/**
 * A campaign attempt's call as its campaign describes it, for a connector that meets the call after a restart
 * (it kept nothing of it in memory).
 *
 * @param answered whether the attempt's answer was reported before: its message was under way when the connector
 *     lost track of it.
 */
public record BroadcastRecall(BroadcastCall call, boolean answered) {
}

package io.voxdesk.calls;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timings of the calls module ({@code voxdesk.calls.*}).
 *
 * @param dialWithin a click-to-call not handed to the provider within this time (the task pool was backed up) is
 *     failed instead of ringing the agent late.
 * @param sweepInterval how often open calls without news are looked at.
 * @param ringingStaleAfter a call still ringing after this long is checked with its provider.
 * @param answeredStaleAfter an answered call without news for this long is checked with its provider.
 * @param giveUpAfter a call without news for this long is settled even when its provider cannot be asked.
 * @param eventBatch at most this many provider events that arrived together are applied in one transaction.
 * @param callsInProgressPerAgent a click-to-call is refused (409) while the agent has this many calls not yet
 *     ended; 0 for no cap.
 * @param connectionCacheTime how long a tenant's enabled connection is remembered for click-to-call; a change made
 *     through this instance is seen at once, one made elsewhere (another instance, SQL) after at most this long.
 * @param connectionsStaleAfter an instance that has not confirmed an agent's webphone connection for this long is
 *     taken to have lost it (it stopped, or died): longer than the realtime module's refresh interval.
 * @param connectionsReapInterval how often agents whose every connection went stale are made offline.
 * @param relayTimeout how long a request for a connection another instance serves (a click, a hangup) waits for
 *     that instance's answer; longer than a takeover, so a request that arrives while the holder dies is carried out
 *     by the next one.
 */
@ConfigurationProperties("voxdesk.calls")
public record CallsSettings(@DefaultValue("60s") Duration dialWithin, @DefaultValue("60s") Duration sweepInterval,
		@DefaultValue("10m") Duration ringingStaleAfter, @DefaultValue("4h") Duration answeredStaleAfter,
		@DefaultValue("24h") Duration giveUpAfter, @DefaultValue("200") int eventBatch,
		@DefaultValue("1") int callsInProgressPerAgent, @DefaultValue("30s") Duration connectionCacheTime,
		@DefaultValue("60s") Duration connectionsStaleAfter, @DefaultValue("15s") Duration connectionsReapInterval,
		@DefaultValue("15s") Duration relayTimeout) {
}

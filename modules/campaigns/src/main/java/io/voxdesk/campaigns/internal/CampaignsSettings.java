package io.voxdesk.campaigns.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the campaigns module ({@code voxdesk.campaigns.*}).
 *
 * @param paceInterval how often the dialer tops every running campaign up to its concurrency; also how soon a
 *     pause, cancel or the end of the window stops new calls.
 * @param ringSeconds how long a campaign's call rings before it counts as not answered.
 * @param reconcileInterval how often attempts whose end was never reported are checked against the PBX (the first
 *     check runs right after a start).
 * @param lostAfter how old an unreported attempt must be before the PBX is asked about it: longer than placing a
 *     call takes, so a call being placed is never taken for a lost one.
 */
@ConfigurationProperties("voxdesk.campaigns")
record CampaignsSettings(@DefaultValue("200ms") Duration paceInterval, @DefaultValue("30") int ringSeconds,
		@DefaultValue("30s") Duration reconcileInterval, @DefaultValue("20s") Duration lostAfter) {
}

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
 */
@ConfigurationProperties("voxdesk.campaigns")
record CampaignsSettings(@DefaultValue("500ms") Duration paceInterval, @DefaultValue("30") int ringSeconds) {
}

package io.voxdesk.extensions.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the extensions module ({@code voxdesk.extensions.*}).
 *
 * @param lineCacheTime how long a user's active line is remembered for click-to-call; a change made through this
 *     instance is seen at once, one made elsewhere (another instance, SQL) after at most this long.
 */
@ConfigurationProperties("voxdesk.extensions")
record ExtensionsSettings(@DefaultValue("30s") Duration lineCacheTime) {
}

package io.voxdesk;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request rate limits under {@code voxdesk.rate-limits}: token buckets per user and per tenant, kept in this
 * instance's memory. A bucket holds up to its capacity (the burst a client may send at once) and refills at its
 * rate per second; a request that finds its bucket empty is answered 429 with {@code Retry-After}.
 *
 * @param enabled whether requests are limited at all.
 * @param userCapacity the burst one user may send.
 * @param userPerSecond the requests per second one user may keep up.
 * @param tenantCapacity the burst all users of one tenant together may send.
 * @param tenantPerSecond the requests per second all users of one tenant together may keep up.
 */
@ConfigurationProperties("voxdesk.rate-limits")
record RateLimitSettings(@DefaultValue("true") boolean enabled, @DefaultValue("50") long userCapacity,
		@DefaultValue("25") long userPerSecond, @DefaultValue("500") long tenantCapacity,
		@DefaultValue("250") long tenantPerSecond) {
}

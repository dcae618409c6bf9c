package io.voxdesk.asterisk;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the Asterisk connector talks to PBXs ({@code voxdesk.asterisk.*}).
 *
 * @param firstRetry wait before the first reconnect attempt; doubled after each failure.
 * @param maxRetry the cap on that wait.
 * @param attemptTimeout how long one connection attempt may take before it counts as failed.
 * @param testTimeout how long each step of "Test connection" may take.
 * @param agentRingSeconds how long the agent's extension rings before the call gives up.
 * @param customerRingSeconds how long the customer's phone rings.
 * @param arrivalThreads how many inbound callers of one connection are recorded (contact, ticket, call record),
 * answered and put in their call's bridge at once; each caller's own events stay in order.
 * @param lease how long an instance's hold on a connection lasts unless renewed (every third of it): when its holder
 *     dies, another instance takes the connection over after at most this long and a third.
 * @param mediaBaseUrl where PBXs reach Voxdesk to fetch audio of the library ({@code sound:http://…}) when their
 *     connection does not say (its {@code mediaBaseUrl} setting); unset, this instance's own loopback address.
 */
@ConfigurationProperties("voxdesk.asterisk")
public record AsteriskSettings(@DefaultValue("1s") Duration firstRetry, @DefaultValue("30s") Duration maxRetry,
		@DefaultValue("5s") Duration attemptTimeout, @DefaultValue("3s") Duration testTimeout,
		@DefaultValue("30") int agentRingSeconds, @DefaultValue("45") int customerRingSeconds, @DefaultValue("4") int arrivalThreads,
		@Nullable URI mediaBaseUrl, @DefaultValue("6s") Duration lease) {
}

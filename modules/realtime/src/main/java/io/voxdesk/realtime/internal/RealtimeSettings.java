package io.voxdesk.realtime.internal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the STOMP endpoint ({@code voxdesk.realtime.*}).
 *
 * @param connectTimeout a WebSocket that has not authenticated with a STOMP {@code CONNECT} within this time is
 *     closed.
 * @param sessionCheckInterval how often open sessions are checked for an expired token or a missing
 *     {@code CONNECT}.
 * @param presenceGrace how long an agent may be without any STOMP session (a reload, a network blip) before
 *     Voxdesk makes them offline.
 * @param presenceRefresh how often this instance confirms, in the database, the agents it has connected, so that
 *     another instance does not make them offline (shorter than {@code voxdesk.calls.connections-stale-after}).
 * @param relay the STOMP broker that carries the live feeds between instances (RabbitMQ's STOMP plugin); without
 *     it the feeds stay in this instance's memory, which suits a single instance.
 */
@ConfigurationProperties("voxdesk.realtime")
record RealtimeSettings(@DefaultValue("10s") Duration connectTimeout, @DefaultValue("1s") Duration sessionCheckInterval,
		@DefaultValue("60s") Duration presenceGrace, @DefaultValue("15s") Duration presenceRefresh,
		@Nullable Relay relay) {

	/**
	 * Where the {@link FeedRelay} connects ({@code voxdesk.realtime.relay.*}); configured once {@code host} is set.
	 *
	 * @param login the broker user of the instance's one connection (clients never reach the broker: they connect to
	 *     an instance, which checks their tokens); anyone with it can publish to every instance's browsers, so keep it
	 *     to the instances.
	 * @param virtualHost separates deployments sharing one RabbitMQ: every instance of one deployment hears every
	 *     frame published in its virtual host.
	 */
	record Relay(String host, @DefaultValue("61613") int port, @DefaultValue("guest") String login,
			@DefaultValue("guest") String passcode, @DefaultValue("/") String virtualHost) {

		@Override
		public String toString() {
			return "Relay[" + login + "@" + host + ":" + port + virtualHost + "]";
		}
	}
}

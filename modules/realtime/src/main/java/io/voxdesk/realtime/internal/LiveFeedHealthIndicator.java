package io.voxdesk.realtime.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Whether this instance can push live feeds: the in-memory broker alone always can; with the relay, only while its
 * connection to RabbitMQ's STOMP plugin is up and subscribed. DOWN means browsers connected here hear nothing (and
 * cannot connect) until the broker is back; calls themselves go on. It is not part of readiness: an instance
 * without live feeds still serves the API and webhooks.
 */
@Component("liveFeeds")
class LiveFeedHealthIndicator extends AbstractHealthIndicator {

	private final ObjectProvider<FeedRelay> relay;

	private final Instant started;

	LiveFeedHealthIndicator(ObjectProvider<FeedRelay> relay, Optional<Clock> clock) {
		this.relay = relay;
		this.started = clock.orElse(Clock.systemUTC()).instant();
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		var through = relay.getIfAvailable();
		if (through == null) {
			builder.up().withDetail("broker", "in-memory").withDetail("since", started.toString());
			return;
		}
		(through.available() ? builder.up() : builder.down()).withDetail("broker", "in-memory, relayed through "
				+ through.describe()).withDetail("since", through.since().toString());
	}
}

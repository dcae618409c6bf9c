package io.voxdesk.realtime.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationListener;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.stereotype.Component;

/**
 * Whether this instance can push live feeds: the in-memory broker always can; through the relay, only while its
 * connection to RabbitMQ's STOMP plugin is up. DOWN means browsers connected here hear nothing (and cannot connect)
 * until the broker is back; calls themselves go on. It is not part of readiness: an instance without live feeds
 * still serves the API and webhooks.
 */
@Component("liveFeeds")
class LiveFeedHealthIndicator extends AbstractHealthIndicator implements ApplicationListener<BrokerAvailabilityEvent> {

	private final String broker;

	private final Clock clock;

	private volatile boolean available;

	private volatile Instant since;

	private final ObjectProvider<SimpUserRegistry> users;

	LiveFeedHealthIndicator(RealtimeSettings settings, Optional<Clock> clock, ObjectProvider<SimpUserRegistry> users) {
		this.users = users;
		var relay = settings.relay();
		this.broker = relay == null ? "in-memory" : "relay to " + relay.host() + ":" + relay.port();
		this.clock = clock.orElse(Clock.systemUTC());
		this.since = this.clock.instant();
	}

	@Override
	public void onApplicationEvent(BrokerAvailabilityEvent event) {
		available = event.isBrokerAvailable();
		since = clock.instant();
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		(available ? builder.up() : builder.down()).withDetail("broker", broker).withDetail("since", since.toString());
		// The sessions this instance would send a user's frames to: its own and, through the relay, the others'.
		var registry = users.getIfAvailable();
		if (registry != null) {
			builder.withDetail("sessionsKnown", registry.getUsers().stream().mapToInt(user -> user.getSessions().size()).sum());
		}
	}
}

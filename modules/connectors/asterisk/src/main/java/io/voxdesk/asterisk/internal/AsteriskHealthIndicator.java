package io.voxdesk.asterisk.internal;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The state of every ARI connection, by connection id (no tenant names, URLs or users); details are shown to
 * platform admins only. It stays UP when a tenant's PBX is unreachable: one tenant's outage is not a reason to
 * take this instance out of a load balancer.
 */
@Component("asterisk")
class AsteriskHealthIndicator extends AbstractHealthIndicator {

	private final AriSessions sessions;

	AsteriskHealthIndicator(AriSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		var all = sessions.all();
		var down = all.stream().filter(session -> session.state() != AriSession.State.CONNECTED).count();
		builder.up().withDetail("connections", all.size()).withDetail("notConnected", down);
		for (var session : all) {
			builder.withDetail(session.connection().id().toString(),
					session.state().name().toLowerCase() + " since " + session.since());
		}
	}
}

package io.voxdesk.asterisk.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;

import io.voxdesk.calls.spi.LeaseState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The ARI connections by connection id (no tenant names, URLs or users): the state of those this instance serves,
 * and for every connection which instance holds its lease, how old the lease's last renewal is and its last
 * takeover; details are shown to platform admins only. It stays UP when a tenant's PBX is unreachable: one
 * tenant's outage is not a reason to take this instance out of a load balancer.
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
		builder.up()
			.withDetail("instance", sessions.holder())
			.withDetail("connections", all.size())
			.withDetail("notConnected", down);
		var here = all.stream()
			.collect(Collectors.toMap(session -> session.connection().id(), session -> session.state().name().toLowerCase()
					+ " since " + session.since()));
		var now = Instant.now();
		var leases = new LinkedHashMap<String, Object>();
		for (var lease : sessions.leases()) {
			leases.put(lease.connection().toString(), describe(lease, now));
		}
		builder.withDetail("leases", leases);
		here.forEach((id, state) -> builder.withDetail(id.toString(), state));
	}

	private static LinkedHashMap<String, Object> describe(LeaseState lease, Instant now) {
		var details = new LinkedHashMap<String, Object>();
		details.put("holder", lease.holder());
		details.put("token", lease.token());
		details.put("acquiredAt", lease.acquiredAt().toString());
		details.put("renewedSecondsAgo", Duration.between(lease.renewedAt(), now).toMillis() / 1000.0);
		details.put("expired", lease.expired());
		if (lease.lastTakeoverAt() != null) {
			details.put("lastTakeoverAt", lease.lastTakeoverAt().toString());
			details.put("lastTakeoverFrom", lease.previousHolder());
			details.put("lastTakeoverCause", lease.lastTakeoverCause());
		}
		return details;
	}
}

package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.spi.CallPresence;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes sure no call record stays open forever: calls without news for a while are checked with their provider
 * and settled when it no longer has them, or after a day without news whatever the provider says.
 */
@Component
class CallSweeper {

	private static final Logger log = LoggerFactory.getLogger(CallSweeper.class);

	private final JdbcClient jdbc;

	private final CallWorkflow calls;

	private final CallControl control;

	private final TenantContext context;

	private final CallsSettings settings;

	private final Clock clock;

	private final Instant startedAt;

	private final AtomicBoolean firstSweep = new AtomicBoolean(true);

	CallSweeper(JdbcClient jdbc, CallWorkflow calls, CallControl control, TenantContext context, CallsSettings settings,
			Optional<Clock> clock) {
		this.jdbc = jdbc;
		this.calls = calls;
		this.control = control;
		this.context = context;
		this.settings = settings;
		this.clock = clock.orElse(Clock.systemUTC());
		this.startedAt = this.clock.instant();
	}

	/** One candidate: row-level security hides other tenants' calls, so a definer function lists ids only. */
	record Stale(TenantId tenant, CallId call, ProviderConnectionId connection, boolean answered, Instant lastNews) {
	}

	@Scheduled(fixedDelayString = "${voxdesk.calls.sweep-interval:60s}", initialDelayString = "${voxdesk.calls.sweep-interval:60s}")
	void sweep() {
		var now = clock.instant();
		for (var call : stale(now, firstSweep.getAndSet(false))) {
			try {
				context.runAs(call.tenant(), () -> settle(call, now));
			}
			catch (RuntimeException ex) {
				log.warn("Sweeping call {} failed: {}", call.call(), ex.getMessage());
			}
		}
	}

	/**
	 * The open calls to ask their provider about. The first sweep after a start also takes every call still ringing
	 * that was last heard of before this instance started: the instance that stopped may have recorded its click
	 * and never placed it (its dialer runs after the commit), and the provider, which then never had it, settles
	 * it a minute after the restart rather than ten.
	 */
	List<Stale> stale(Instant now, boolean firstSweep) {
		var ringingBefore = now.minus(settings.ringingStaleAfter());
		if (firstSweep && startedAt.isAfter(ringingBefore)) {
			ringingBefore = startedAt;
		}
		return jdbc.sql("select tenant_id, id, connection_id, answered, last_news from stale_calls(:ringing, :answered)")
			.param("ringing", java.sql.Timestamp.from(ringingBefore))
			.param("answered", java.sql.Timestamp.from(now.minus(settings.answeredStaleAfter())))
			.query((rs, row) -> new Stale(TenantId.of(rs.getString(1)), CallId.of(rs.getObject(2, UUID.class)),
					ProviderConnectionId.of(rs.getObject(3, UUID.class)), rs.getBoolean(4),
					rs.getTimestamp(5).toInstant()))
			.list();
	}

	private void settle(Stale call, Instant now) {
		var presence = presence(call);
		if (presence == CallPresence.GONE) {
			calls.settleLost(call.call(), "The provider no longer has this call; its end was never reported.", null);
			log.info("Settled call {}: its provider no longer has it", call.call());
		}
		else if (presence == CallPresence.UNKNOWN && Duration.between(call.lastNews(), now).compareTo(settings.giveUpAfter()) > 0) {
			calls.settleLost(call.call(), "No news from the provider for " + settings.giveUpAfter().toHours() + " hours.",
					null);
			log.info("Settled call {}: no provider news for {}", call.call(), settings.giveUpAfter());
		}
	}

	private CallPresence presence(Stale call) {
		try {
			var connection = control.connectionOf(call.call());
			return control.connector(connection).presence(connection, call.call());
		}
		catch (RuntimeException ex) {
			return CallPresence.UNKNOWN;
		}
	}
}

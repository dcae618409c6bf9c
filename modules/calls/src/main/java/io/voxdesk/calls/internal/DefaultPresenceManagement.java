package io.voxdesk.calls.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import io.voxdesk.calls.AgentPresence;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.PresenceChanged;
import io.voxdesk.calls.PresenceManagement;
import io.voxdesk.calls.PresenceState;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantMember;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * The {@link PresenceManagement} of this module: chosen states in {@code agent_presence}, derived ones from the
 * agent's calls (a call in progress, or the wrap-up of the queue of the call that ended last).
 */
@Service
class DefaultPresenceManagement implements PresenceManagement {

	private static final Logger log = LoggerFactory.getLogger(DefaultPresenceManagement.class);

	static final List<String> DEFAULT_AWAY_REASONS = List.of("lunch", "break", "training", "meeting");

	/** What the record says when Voxdesk, not the agent, made them offline. */
	static final String CONNECTION_LOST = "the webphone lost its connection";

	private final JdbcClient jdbc;

	private final Calls calls;

	private final WrapUps wrapUps;

	private final MemberDirectory members;

	private final CallDistribution distribution;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final CallsSettings settings;

	private final TransactionTemplate transactions;

	private final Clock clock;

	DefaultPresenceManagement(JdbcClient jdbc, Calls calls, WrapUps wrapUps, MemberDirectory members,
			CallDistribution distribution, TenantContext context, ApplicationEventPublisher events,
			CallsSettings settings, PlatformTransactionManager transactions, Optional<Clock> clock) {
		this.settings = settings;
		this.transactions = new TransactionTemplate(transactions);
		this.jdbc = jdbc;
		this.calls = calls;
		this.wrapUps = wrapUps;
		this.members = members;
		this.distribution = distribution;
		this.context = context;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** A chosen state as stored. */
	private record Chosen(PresenceState state, @Nullable String reason, @Nullable Instant since) {

		static final Chosen NEVER = new Chosen(PresenceState.AVAILABLE, null, null);
	}

	@Override
	@Transactional(readOnly = true)
	public AgentPresence of(UserId user) {
		var username = members.find(user).map(TenantMember::username).orElse(user.value());
		return presence(user, username, chosen(user));
	}

	@Override
	@Transactional(readOnly = true)
	public List<AgentPresence> all() {
		return members.list().stream().map(member -> presence(member.id(), member.username(), chosen(member.id()))).toList();
	}

	@Override
	@Transactional
	public AgentPresence choose(UserId user, PresenceState state, @Nullable String reason) {
		if (!state.chosen()) {
			throw invalid("state", "An agent chooses available, away or offline; " + state.code()
					+ " follows from their calls.");
		}
		var why = state == PresenceState.AWAY && reason != null && !reason.isBlank() ? reason.strip() : null;
		if (why != null && !awayReasons().contains(why)) {
			throw invalid("reason", "'" + why + "' is not one of your organization's away reasons: "
					+ String.join(", ", awayReasons()) + ".");
		}
		store(user, state, why);
		return of(user);
	}

	@Override
	@Transactional
	public void connectionLost(UserId user, Instant disconnectedAt) {
		var connectedElsewhere = jdbc.sql("select count(*) from agent_connections where user_id = :user and seen_at >= :fresh")
			.param("user", user.value())
			.param("fresh", Timestamp.from(clock.instant().minus(settings.connectionsStaleAfter())))
			.query(Long.class)
			.single() > 0;
		if (connectedElsewhere) {
			log.debug("Agent {} of tenant {} is connected to another instance: presence unchanged", user,
					context.currentTenant());
			return;
		}
		var chosen = chosen(user);
		var since = chosen.since();
		if (chosen.state() != PresenceState.OFFLINE && (since == null || since.isBefore(disconnectedAt))) {
			store(user, PresenceState.OFFLINE, CONNECTION_LOST);
			log.info("Agent {} of tenant {} is offline: {}", user, context.currentTenant(), CONNECTION_LOST);
		}
	}

	@Override
	@Transactional
	public void connected(UserId user, String instance) {
		jdbc.sql("""
				insert into agent_connections (tenant_id, user_id, instance_id, seen_at)
				values (:tenant, :user, :instance, :now)
				on conflict (tenant_id, user_id, instance_id) do update set seen_at = excluded.seen_at""")
			.param("tenant", context.currentTenant().value())
			.param("user", user.value())
			.param("instance", instance)
			.param("now", Timestamp.from(clock.instant()))
			.update();
	}

	@Override
	@Transactional
	public void disconnected(UserId user, String instance) {
		jdbc.sql("delete from agent_connections where user_id = :user and instance_id = :instance")
			.param("user", user.value())
			.param("instance", instance)
			.update();
	}

	/**
	 * Agents whose every connection went stale (the instances that had them stopped or died, without a disconnect
	 * reaching the database) are offline as of the last time an instance saw them.
	 */
	@Scheduled(fixedDelayString = "${voxdesk.calls.connections-reap-interval:15s}",
			initialDelayString = "${voxdesk.calls.connections-reap-interval:15s}")
	void reapStaleConnections() {
		try {
			var stale = jdbc.sql("select tenant_id, user_id, last_seen from stale_agent_connections(:before)")
				.param("before", Timestamp.from(clock.instant().minus(settings.connectionsStaleAfter())))
				.query((rs, row) -> new StaleConnection(TenantId.of(rs.getString(1)), UserId.of(rs.getString(2)),
						rs.getTimestamp(3).toInstant()))
				.list();
			for (var connection : stale) {
				context.runAs(connection.tenant(), () -> transactions.executeWithoutResult(status -> {
					jdbc.sql("delete from agent_connections where user_id = :user and seen_at <= :seen")
						.param("user", connection.user().value())
						.param("seen", Timestamp.from(connection.lastSeen()))
						.update();
					connectionLost(connection.user(), connection.lastSeen());
				}));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Reaping stale webphone connections failed: {}", ex.toString());
		}
	}

	private record StaleConnection(TenantId tenant, UserId user, Instant lastSeen) {
	}

	private void store(UserId user, PresenceState state, @Nullable String reason) {
		var now = clock.instant();
		jdbc.sql("""
				insert into agent_presence (tenant_id, user_id, state, reason, since)
				values (:tenant, :user, :state, :reason, :now)
				on conflict (tenant_id, user_id) do update set state = excluded.state, reason = excluded.reason,
				  since = excluded.since""")
			.param("tenant", context.currentTenant().value())
			.param("user", user.value())
			.param("state", state.code())
			.param("reason", reason)
			.param("now", Timestamp.from(now))
			.update();
		events.publishEvent(new PresenceChanged(context.currentTenant(), user, state, reason, now));
		if (state == PresenceState.AVAILABLE) {
			distribution.dispatchAfterCommit(context.currentTenant());
		}
		else {
			distribution.withdrawRingingOf(user);
		}
	}

	@Override
	@Transactional(readOnly = true)
	public List<String> awayReasons() {
		return jdbc.sql("select away_reasons from presence_settings")
			.query(String.class)
			.optional()
			.map(stored -> Arrays.stream(stored.split("\n")).filter(reason -> !reason.isEmpty()).toList())
			.orElse(DEFAULT_AWAY_REASONS);
	}

	@Override
	@Transactional
	public List<String> changeAwayReasons(List<String> reasons) {
		var cleaned = new LinkedHashSet<String>();
		for (var reason : reasons) {
			var stripped = reason == null ? "" : reason.strip();
			if (stripped.isEmpty() || stripped.length() > 40 || stripped.chars().anyMatch(Character::isISOControl)) {
				throw invalid("reasons", "Each away reason has 1 to 40 characters on one line.");
			}
			cleaned.add(stripped);
		}
		if (cleaned.isEmpty() || cleaned.size() > 20) {
			throw invalid("reasons", "Give 1 to 20 away reasons.");
		}
		jdbc.sql("""
				insert into presence_settings (tenant_id, away_reasons, updated_at) values (:tenant, :reasons, :now)
				on conflict (tenant_id) do update set away_reasons = excluded.away_reasons,
				  updated_at = excluded.updated_at""")
			.param("tenant", context.currentTenant().value())
			.param("reasons", String.join("\n", cleaned))
			.param("now", Timestamp.from(clock.instant()))
			.update();
		return awayReasons();
	}

	private Chosen chosen(UserId user) {
		return jdbc.sql("select state, reason, since from agent_presence where user_id = :user")
			.param("user", user.value())
			.query((rs, row) -> new Chosen(PresenceState.of(rs.getString(1)), rs.getString(2),
					rs.getTimestamp(3).toInstant()))
			.optional()
			.orElse(Chosen.NEVER);
	}

	/** The chosen state, shown as on a call or wrap-up while those last. */
	private AgentPresence presence(UserId user, String username, Chosen chosen) {
		var state = chosen.state();
		if (!calls.findIdsInProgressOf(user.value()).isEmpty()) {
			state = PresenceState.ON_CALL;
		}
		else if (wrapUps.wrappingUp(user, clock.instant(), new HashMap<>())) {
			state = PresenceState.WRAP_UP;
		}
		return new AgentPresence(user, username, state, chosen.state(), chosen.reason(), chosen.since());
	}

	private static ErrorResponseException invalid(String field, String message) {
		return InvalidField.problem("Invalid presence", field, message);
	}
}

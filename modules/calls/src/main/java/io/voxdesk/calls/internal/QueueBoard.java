package io.voxdesk.calls.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.calls.AgentPresence;
import io.voxdesk.calls.PresenceManagement;
import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueManagement;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a tenant admin's live queue board shows: per queue, the callers waiting and who is being rung for them, the
 * queue's agents with their presence and current call, and today's counts. Read in one transaction, so that a caller
 * is never both waiting and counted as answered.
 */
@Component
class QueueBoard {

	/** Answered within this many seconds of arriving counts as answered promptly, the usual service-level mark. */
	static final int SERVICE_LEVEL_SECONDS = 20;

	private final Calls calls;

	private final CallOffers offers;

	private final QueueManagement queues;

	private final PresenceManagement presence;

	private final ContactManagement contacts;

	private final JdbcClient jdbc;

	private final TenantContext context;

	private final Clock clock;

	QueueBoard(Calls calls, CallOffers offers, QueueManagement queues, PresenceManagement presence,
			ContactManagement contacts, JdbcClient jdbc, TenantContext context, Optional<Clock> clock) {
		this.calls = calls;
		this.offers = offers;
		this.queues = queues;
		this.presence = presence;
		this.contacts = contacts;
		this.jdbc = jdbc;
		this.context = context;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** The whole board. */
	record Snapshot(String tenantId, Instant at, List<QueueView> queues) {
	}

	/** One queue on the board. */
	record QueueView(UUID id, String name, List<Waiting> waiting, List<Agent> agents, Today today) {
	}

	/** A caller waiting in the queue since {@code queuedAt}; {@code ringing} names the agents whose phones ring. */
	record Waiting(UUID callId, String number, @Nullable String callerName, @Nullable String contactName,
			Instant queuedAt, List<String> ringing) {
	}

	/** A member of the queue, with their presence code and the number of the call they are on, if any. */
	record Agent(String userId, String username, String presence, @Nullable String reason, @Nullable UUID callId,
			@Nullable String callNumber) {
	}

	/**
	 * The queue's inbound calls since midnight: offered (arrived or overflowed into it), answered by an agent, missed,
	 * answered within {@link #SERVICE_LEVEL_SECONDS}, and the average wait (to an answer or to the caller leaving) of
	 * those that ended waiting, {@code null} before the first.
	 */
	record Today(long offered, long answered, long missed, long answeredWithin20s, @Nullable Long averageWaitSeconds) {

		static final Today NONE = new Today(0, 0, 0, 0, null);
	}

	/** The board with "today" starting at midnight in {@code zone}. */
	@Transactional(readOnly = true)
	Snapshot snapshot(ZoneId zone) {
		var now = clock.instant();
		var midnight = now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
		var today = today(midnight);
		var people = new HashMap<String, AgentPresence>();
		presence.all().forEach(agent -> people.put(agent.user().value(), agent));
		var inProgress = callsInProgress();
		var waiting = new HashMap<UUID, List<Waiting>>();
		calls.findWaiting().forEach(call -> {
			var queue = call.queue();
			if (queue != null) {
				waiting.computeIfAbsent(queue.value(), id -> new ArrayList<>()).add(waiting(call, people));
			}
		});
		var views = queues.list()
			.stream()
			.sorted(Comparator.comparing(QueueDetails::name, String.CASE_INSENSITIVE_ORDER))
			.map(queue -> new QueueView(queue.id().value(), queue.name(),
					waiting.getOrDefault(queue.id().value(), List.of())
						.stream()
						.sorted(Comparator.comparing(Waiting::queuedAt))
						.toList(),
					queue.memberIds().stream().map(user -> agent(user, people, inProgress)).toList(),
					today.getOrDefault(queue.id().value(), Today.NONE)))
			.toList();
		return new Snapshot(context.currentTenant().value(), now, views);
	}

	private Waiting waiting(CallRecord call, Map<String, AgentPresence> people) {
		var details = call.toDetails();
		var contact = details.contact();
		var ringing = offers.of(call.id())
			.stream()
			.filter(offer -> offer.state() == CallOffers.State.RINGING)
			.map(offer -> Optional.ofNullable(people.get(offer.user().value()))
				.map(AgentPresence::username)
				.orElse(offer.user().value()))
			.toList();
		return new Waiting(call.id().value(), details.number(), details.callerName(),
				contact == null ? null : contacts.find(contact).map(ContactDetails::name).orElse(null),
				Objects.requireNonNull(call.queuedAt()), ringing);
	}

	private static Agent agent(UserId user, Map<String, AgentPresence> people, Map<String, CallRecord> inProgress) {
		var known = people.get(user.value());
		var call = inProgress.get(user.value());
		return new Agent(user.value(), known == null ? user.value() : known.username(),
				known == null ? "offline" : known.state().code(), known == null ? null : known.reason(),
				call == null ? null : call.id().value(), call == null ? null : call.toDetails().number());
	}

	/** Each agent's latest call in progress. */
	private Map<String, CallRecord> callsInProgress() {
		var byAgent = new HashMap<String, CallRecord>();
		calls.findInProgress().forEach(call -> {
			var agent = call.agent();
			if (agent != null) {
				byAgent.putIfAbsent(agent.value(), call);
			}
		});
		return byAgent;
	}

	private Map<UUID, Today> today(Instant since) {
		var counts = new HashMap<UUID, Today>();
		jdbc.sql("""
				select queue_id,
				       count(*) as offered,
				       count(*) filter (where agent_answered_at is not null) as answered,
				       count(*) filter (where status = 'MISSED') as missed,
				       count(*) filter (where agent_answered_at is not null
				                          and agent_answered_at - requested_at <= make_interval(secs => :level))
				         as prompt,
				       round(avg(extract(epoch from coalesce(agent_answered_at, ended_at) - requested_at))
				         filter (where agent_answered_at is not null or ended_at is not null)) as wait
				  from calls
				 where direction = 'inbound' and queue_id is not null and requested_at >= :since
				 group by queue_id""")
			.param("level", SERVICE_LEVEL_SECONDS)
			.param("since", Timestamp.from(since))
			.query((rs, row) -> {
				var wait = rs.getObject("wait") == null ? null : rs.getLong("wait");
				counts.put(rs.getObject("queue_id", UUID.class), new Today(rs.getLong("offered"),
						rs.getLong("answered"), rs.getLong("missed"), rs.getLong("prompt"), wait));
				return row;
			})
			.list();
		return counts;
	}
}

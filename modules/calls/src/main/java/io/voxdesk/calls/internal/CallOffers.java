package io.voxdesk.calls.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.calls.CallId;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The agents rung for the current tenant's inbound calls ({@code call_offers}). An agent has one ringing offer at a
 * time and a call one answered offer, which the database's unique indexes hold whatever runs concurrently.
 */
@Component
class CallOffers {

	/** Where an offer stands. */
	enum State {
		RINGING, ANSWERED, MISSED, DECLINED, CANCELLED, FAILED;

		String code() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	/** One agent rung for one call. */
	record Offer(CallId call, int seq, UserId user, String extension, State state, Instant offeredAt,
			@Nullable Instant endedAt) {
	}

	private final JdbcClient jdbc;

	private final TenantContext context;

	CallOffers(JdbcClient jdbc, TenantContext context) {
		this.jdbc = jdbc;
		this.context = context;
	}

	List<Offer> of(CallId call) {
		return jdbc.sql("select * from call_offers where call_id = :call order by seq")
			.param("call", call.value())
			.query(CallOffers::offer)
			.list();
	}

	/** The offers of each of {@code calls} (none for a call without any), in one statement. */
	Map<CallId, List<Offer>> of(Collection<CallId> calls) {
		var offers = new HashMap<CallId, List<Offer>>();
		if (calls.isEmpty()) {
			return offers;
		}
		jdbc.sql("select * from call_offers where call_id = any(:calls) order by call_id, seq")
			.param("calls", calls.stream().map(CallId::value).toArray(UUID[]::new))
			.query(CallOffers::offer)
			.list()
			.forEach(offer -> offers.computeIfAbsent(offer.call(), call -> new ArrayList<>()).add(offer));
		return offers;
	}

	Optional<Offer> find(CallId call, int seq) {
		return jdbc.sql("select * from call_offers where call_id = :call and seq = :seq")
			.param("call", call.value())
			.param("seq", seq)
			.query(CallOffers::offer)
			.optional();
	}

	/** The user's offers ringing now (at most one: the database holds that). */
	List<Offer> ringingOf(UserId user) {
		return jdbc.sql("select * from call_offers where user_id = :user and state = 'ringing'")
			.param("user", user.value())
			.query(CallOffers::offer)
			.list();
	}

	/**
	 * A new ringing offer of the call to the user, numbered after the call's earlier ones; {@code queue} is the queue
	 * the call waits in ({@literal null} for a number routed to one user).
	 */
	Offer create(CallId call, @Nullable QueueId queue, UserId user, String extension, Instant now) {
		var seq = jdbc.sql("select coalesce(max(seq), 0) + 1 from call_offers where call_id = :call")
			.param("call", call.value())
			.query(Integer.class)
			.single();
		jdbc.sql("""
				insert into call_offers (call_id, seq, tenant_id, user_id, extension, state, offered_at, queue_id)
				values (:call, :seq, :tenant, :user, :extension, 'ringing', :now, :queue)""")
			.param("call", call.value())
			.param("queue", queue == null ? null : queue.value())
			.param("seq", seq)
			.param("tenant", context.currentTenant().value())
			.param("user", user.value())
			.param("extension", extension)
			.param("now", Timestamp.from(now))
			.update();
		return new Offer(call, seq, user, extension, State.RINGING, now, null);
	}

	/** Settles a ringing offer; false if it was settled already. */
	boolean end(CallId call, int seq, State state, Instant at) {
		return jdbc.sql("update call_offers set state = :state, ended_at = :at where call_id = :call and seq = :seq "
				+ "and state = 'ringing'")
			.param("state", state.code())
			.param("at", Timestamp.from(at))
			.param("call", call.value())
			.param("seq", seq)
			.update() == 1;
	}

	/** Withdraws the call's offers still ringing; their numbers. */
	List<Integer> cancelRinging(CallId call, Instant at) {
		return jdbc.sql("update call_offers set state = 'cancelled', ended_at = :at where call_id = :call "
				+ "and state = 'ringing' returning seq")
			.param("at", Timestamp.from(at))
			.param("call", call.value())
			.query(Integer.class)
			.list();
	}

	/** Who was offered a call of the queue last, for round-robin. */
	Optional<UserId> lastOfferedIn(QueueId queue) {
		return jdbc.sql("""
				select user_id from call_offers where queue_id = :queue order by made desc limit 1""")
			.param("queue", queue.value())
			.query((rs, row) -> UserId.of(rs.getString(1)))
			.optional();
	}

	private static Offer offer(ResultSet rs, int row) throws SQLException {
		var ended = rs.getTimestamp("ended_at");
		return new Offer(CallId.of(rs.getObject("call_id", UUID.class)), rs.getInt("seq"),
				UserId.of(rs.getString("user_id")), rs.getString("extension"),
				State.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)),
				rs.getTimestamp("offered_at").toInstant(), ended == null ? null : ended.toInstant());
	}
}

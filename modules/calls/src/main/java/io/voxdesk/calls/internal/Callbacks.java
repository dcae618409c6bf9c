package io.voxdesk.calls.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallbackCreated;
import io.voxdesk.calls.CallbackDetails;
import io.voxdesk.calls.CallbackId;
import io.voxdesk.calls.CallbackState;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The current tenant's callback tasks ({@code callbacks}): created by a missed inbound call, joined by a repeat call
 * from the same number while open, closed by an answered callback. One task per number is open at a time, which the
 * database's unique index holds.
 */
@Component
class Callbacks {

	private final JdbcClient jdbc;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Callbacks(JdbcClient jdbc, TenantContext context, ApplicationEventPublisher events, Optional<Clock> clock) {
		this.jdbc = jdbc;
		this.context = context;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/**
	 * An inbound call ended unanswered: it joins the open task of its number, or opens one on its queue. A withheld
	 * number leaves no task: there is nobody to call back.
	 */
	void missed(CallRecord call) {
		var details = call.toDetails();
		if (details.number().isEmpty() || details.endedAt() == null || details.outcome() == null) {
			return;
		}
		var outcome = details.outcome().code();
		var joined = jdbc.sql("""
				update callbacks set missed_calls = missed_calls + 1, last_call_id = :call, last_missed_at = :at,
				  last_outcome = :outcome, updated_at = :now
				 where number = :number and state <> 'closed' and last_call_id <> :call""")
			.param("call", call.id().value())
			.param("at", Timestamp.from(details.endedAt()))
			.param("outcome", outcome)
			.param("now", Timestamp.from(clock.instant()))
			.param("number", details.number())
			.update();
		if (joined > 0 || open(details.number()).isPresent()) {
			return;
		}
		var id = CallbackId.of(UUID.randomUUID());
		var now = clock.instant();
		jdbc.sql("""
				insert into callbacks (id, tenant_id, number, caller_name, contact_id, ticket_id, queue_id, user_id,
				  missed_calls, first_call_id, last_call_id, last_missed_at, last_outcome, state, created_at, updated_at)
				values (:id, :tenant, :number, :name, :contact, :ticket, :queue, :user, 1, :call, :call, :at, :outcome,
				  'open', :now, :now)""")
			.param("id", id.value())
			.param("tenant", context.currentTenant().value())
			.param("number", details.number())
			.param("name", details.callerName())
			.param("contact", details.contact() == null ? null : details.contact().value())
			.param("ticket", details.ticket() == null ? null : details.ticket().value())
			.param("queue", details.queue() == null ? null : details.queue().value())
			.param("user", call.routedUser() == null ? null : call.routedUser().value())
			.param("call", call.id().value())
			.param("at", Timestamp.from(details.endedAt()))
			.param("outcome", outcome)
			.param("now", Timestamp.from(now))
			.update();
		events.publishEvent(new CallbackCreated(context.currentTenant(), id, call.id(), details.queue(),
				details.ticket(), now));
	}

	/** A callback call the customer answered closes its task. */
	void answered(CallbackId id, CallId call) {
		var now = clock.instant();
		jdbc.sql("""
				update callbacks set state = 'closed', closed_at = :now, closed_by = taken_by,
				  close_reason = 'answered callback', answered_call = :call, updated_at = :now
				 where id = :id and state <> 'closed'""")
			.param("now", Timestamp.from(now))
			.param("call", call.value())
			.param("id", id.value())
			.update();
	}

	Optional<CallbackDetails> find(CallbackId id) {
		return jdbc.sql("select * from callbacks where id = :id")
			.param("id", id.value())
			.query(Callbacks::details)
			.optional();
	}

	Optional<CallbackDetails> open(String number) {
		return jdbc.sql("select * from callbacks where number = :number and state <> 'closed'")
			.param("number", number)
			.query(Callbacks::details)
			.optional();
	}

	List<CallbackDetails> all(boolean includeClosed) {
		return jdbc.sql("select * from callbacks" + (includeClosed ? "" : " where state <> 'closed'")
				+ " order by last_missed_at desc limit 500")
			.query(Callbacks::details)
			.list();
	}

	/** Takes an open task for the user; false if it was not open any more. */
	boolean take(CallbackId id, UserId user, String name) {
		var now = Timestamp.from(clock.instant());
		return jdbc.sql("""
				update callbacks set state = 'taken', taken_by = :user, taken_by_name = :name, taken_at = :now,
				  updated_at = :now
				 where id = :id and state = 'open'""")
			.param("user", user.value())
			.param("name", name)
			.param("now", now)
			.param("id", id.value())
			.update() == 1;
	}

	/** Closes a task not closed yet; false if it was closed already. */
	boolean close(CallbackId id, @Nullable UserId by, String reason) {
		var now = Timestamp.from(clock.instant());
		return jdbc.sql("""
				update callbacks set state = 'closed', closed_at = :now, closed_by = :by, close_reason = :reason,
				  updated_at = :now
				 where id = :id and state <> 'closed'""")
			.param("now", now)
			.param("by", by == null ? null : by.value())
			.param("reason", reason)
			.param("id", id.value())
			.update() == 1;
	}

	private static CallbackDetails details(ResultSet rs, int row) throws SQLException {
		return new CallbackDetails(CallbackId.of(rs.getObject("id", UUID.class)),
				CallbackState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getString("number"),
				rs.getString("caller_name"), nullable(rs, "contact_id", ContactId::of),
				nullable(rs, "ticket_id", TicketId::of), nullable(rs, "queue_id", QueueId::of),
				rs.getString("user_id") == null ? null : UserId.of(rs.getString("user_id")), rs.getInt("missed_calls"),
				CallId.of(rs.getObject("first_call_id", UUID.class)), CallId.of(rs.getObject("last_call_id", UUID.class)),
				rs.getTimestamp("last_missed_at").toInstant(), rs.getString("last_outcome"),
				rs.getString("taken_by") == null ? null : UserId.of(rs.getString("taken_by")), rs.getString("taken_by_name"),
				instant(rs, "taken_at"), instant(rs, "closed_at"), rs.getString("close_reason"),
				nullable(rs, "answered_call", CallId::of), rs.getTimestamp("created_at").toInstant());
	}

	private static <T> @Nullable T nullable(ResultSet rs, String column, java.util.function.Function<UUID, T> id)
			throws SQLException {
		var value = rs.getObject(column, UUID.class);
		return value == null ? null : id.apply(value);
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		var value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}
}

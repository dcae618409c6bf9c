package io.voxdesk.calls.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import io.voxdesk.calls.spi.ProviderCallEvent;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Remembers which provider events each call has applied, so a repeated event is recognized and skipped. */
@Repository
class CallEventKeys {

	private final JdbcClient jdbc;

	CallEventKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records the events in one statement; per event, {@literal false} when its call had already applied it, or
	 * when an earlier event of the same list has the same key.
	 */
	List<Boolean> firstTime(List<ProviderCallEvent> events, Instant now) {
		if (events.isEmpty()) {
			return List.of();
		}
		var sql = new StringBuilder(
				"insert into call_events (call_id, event_key, type, leg, occurred_at, received_at) values ");
		var params = new ArrayList<Object>(events.size() * 6);
		for (var i = 0; i < events.size(); i++) {
			var event = events.get(i);
			sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
			params.add(event.call().value());
			params.add(event.key());
			params.add(event.type().name());
			params.add(event.leg().name());
			params.add(Timestamp.from(event.occurredAt()));
			params.add(Timestamp.from(now));
		}
		sql.append(" on conflict (call_id, event_key) do nothing returning call_id, event_key");
		var inserted = new HashSet<>(jdbc.sql(sql.toString())
			.params(params)
			.query((rs, row) -> rs.getObject(1, UUID.class) + " " + rs.getString(2))
			.list());
		var first = new ArrayList<Boolean>(events.size());
		for (var event : events) {
			first.add(inserted.remove(event.call().value() + " " + event.key()));
		}
		return first;
	}
}

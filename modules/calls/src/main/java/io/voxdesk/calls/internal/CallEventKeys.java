package io.voxdesk.calls.internal;

import java.sql.Timestamp;
import java.time.Instant;

import io.voxdesk.calls.ProviderCallEvent;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Remembers which provider events each call has applied, so a repeated event is recognized and skipped. */
@Repository
class CallEventKeys {

	private final JdbcClient jdbc;

	CallEventKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records the event; {@literal false} when the call had already applied it. */
	boolean firstTime(ProviderCallEvent event, Instant now) {
		return jdbc.sql("""
				insert into call_events (call_id, event_key, type, leg, occurred_at, received_at)
				values (:call, :key, :type, :leg, :occurred, :received)
				on conflict (call_id, event_key) do nothing""")
			.param("call", event.call().value())
			.param("key", event.key())
			.param("type", event.type().name())
			.param("leg", event.leg().name())
			.param("occurred", Timestamp.from(event.occurredAt()))
			.param("received", Timestamp.from(now))
			.update() == 1;
	}
}

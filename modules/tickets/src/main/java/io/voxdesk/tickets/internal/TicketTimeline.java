package io.voxdesk.tickets.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tickets.TimelineAppend;
import io.voxdesk.tickets.TimelineEntry;
import io.voxdesk.tickets.TimelineEntryAppended;
import io.voxdesk.tickets.TimelineEntryDraft;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads tickets' timelines: numbers each entry on its (locked) ticket, stores its data as JSON, keeps
 * entries with an idempotency key once, and publishes a {@link TimelineEntryAppended} per entry written.
 */
@Component
class TicketTimeline {

	/** Entry types only this module writes, so no other module can forge a ticket's history. */
	static final Set<String> OWN_TYPES = Set.of("created", "status_changed", "assigned", "transferred");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final TimelineRecords records;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final EntityManager entities;

	private final Clock clock = Clock.systemUTC();

	TicketTimeline(TimelineRecords records, TenantContext context, ApplicationEventPublisher events,
			EntityManager entities) {
		this.records = records;
		this.context = context;
		this.events = events;
		this.entities = entities;
	}

	/** Writes an entry on the locked ticket. */
	TimelineEntry record(Ticket ticket, String type, String summary, Map<String, ?> data,
			@Nullable String idempotencyKey, Instant occurredAt) {
		return entry(store(ticket, type, summary, data, idempotencyKey, occurredAt));
	}

	/**
	 * Another module's entry on the locked ticket, its type checked by the caller ({@link #checkForeignType}); the
	 * one already written under its idempotency key if any.
	 */
	TimelineEntry appendForeign(Ticket ticket, TimelineEntryDraft draft) {
		var key = draft.idempotencyKey();
		if (key != null) {
			var existing = records.findByTicketIdAndIdempotencyKey(ticket.id().value(), key);
			if (existing.isPresent()) {
				return entry(existing.get());
			}
		}
		return record(ticket, draft.type(), draft.summary(), draft.data(), key, draft.occurredAt());
	}

	/**
	 * Other modules' entries on their locked tickets, in the order given, each idempotency key once per ticket; their
	 * types checked by the caller.
	 *
	 * @return how many were written.
	 */
	int appendForeign(List<TimelineAppend> entries, Map<UUID, Ticket> locked) {
		var ids = entries.stream().map(entry -> entry.ticket().value()).distinct().toList();
		var keys = entries.stream().map(entry -> entry.draft().idempotencyKey()).filter(Objects::nonNull).distinct().toList();
		var seen = new HashSet<String>();
		if (!keys.isEmpty()) {
			// Entries appended earlier in this transaction must be in the database for the check to see them.
			entities.flush();
			seen.addAll(records.existingKeys(ids.toArray(UUID[]::new), keys.toArray(String[]::new)));
		}
		var stored = 0;
		for (var entry : entries) {
			var draft = entry.draft();
			var key = draft.idempotencyKey();
			if (key == null || seen.add(entry.ticket().value() + "/" + key)) {
				store(locked.get(entry.ticket().value()), draft.type(), draft.summary(), draft.data(), key,
						draft.occurredAt());
				stored++;
			}
		}
		return stored;
	}

	/** Up to {@code limit} entries of the ticket after position {@code after}, in order. */
	List<TimelineEntry> after(Ticket ticket, long after, int limit) {
		return records.findByTicketIdAndSeqGreaterThanOrderBySeqAsc(ticket.id().value(), after, Limit.of(limit))
			.stream()
			.map(TicketTimeline::entry)
			.toList();
	}

	static void checkForeignType(TimelineEntryDraft draft) {
		if (OWN_TYPES.contains(draft.type())) {
			throw new IllegalArgumentException("Timeline entries of type '" + draft.type()
					+ "' are written by the tickets module itself");
		}
	}

	private TimelineRecord store(Ticket ticket, String type, String summary, Map<String, ?> data,
			@Nullable String idempotencyKey, Instant occurredAt) {
		var now = clock.instant();
		var actor = context.actor();
		var stored = records.save(new TimelineRecord(ticket.id(), ticket.nextEntrySequence(now), type, occurredAt, now,
				actor.subject(), actor.username(), summary, JSON.writeValueAsString(data), idempotencyKey));
		events.publishEvent(new TimelineEntryAppended(context.currentTenant(), ticket.id(), stored.seq(), type));
		return stored;
	}

	private static TimelineEntry entry(TimelineRecord record) {
		return new TimelineEntry(record.ticketId(), record.seq(), record.type(), record.occurredAt(), record.actorId(),
				record.actorName(), record.summary(), JSON.readValue(record.data(), MAP));
	}
}

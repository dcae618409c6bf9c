package io.voxdesk.tickets.internal;

import java.time.Instant;
import java.util.UUID;

import io.voxdesk.tickets.TicketId;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Persistable;

/** A stored timeline entry; never changed once written (the database lets the application only insert). */
@Entity
@Immutable
@Table(name = "ticket_timeline")
class TimelineRecord implements Persistable<UUID> {

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	@Column(name = "ticket_id")
	private UUID ticketId;

	private long seq;

	private String type;

	@Column(name = "occurred_at")
	private Instant occurredAt;

	@Column(name = "recorded_at")
	private Instant recordedAt;

	@Column(name = "actor_id")
	private String actorId;

	@Column(name = "actor_name")
	private String actorName;

	private String summary;

	/** JSON text; the column is jsonb so clients' filters could use it later. */
	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "cast(? as jsonb)")
	private String data;

	@Column(name = "idempotency_key")
	private @Nullable String idempotencyKey;

	// Entries are only ever inserted: saving one must persist it, not merge it (a select by id per entry first).
	@Transient
	private boolean stored;

	protected TimelineRecord() {
		this.id = new UUID(0, 0);
		this.ticketId = id;
		this.type = "";
		this.occurredAt = Instant.EPOCH;
		this.recordedAt = Instant.EPOCH;
		this.actorId = "";
		this.actorName = "";
		this.summary = "";
		this.data = "{}";
	}

	TimelineRecord(TicketId ticket, long seq, String type, Instant occurredAt, Instant recordedAt, String actorId,
			String actorName, String summary, String data, @Nullable String idempotencyKey) {
		this.id = UUID.randomUUID();
		this.ticketId = ticket.value();
		this.seq = seq;
		this.type = type;
		this.occurredAt = occurredAt;
		this.recordedAt = recordedAt;
		this.actorId = actorId;
		this.actorName = actorName;
		this.summary = summary;
		this.data = data;
		this.idempotencyKey = idempotencyKey;
	}

	@Override
	public UUID getId() {
		return id;
	}

	@Override
	public boolean isNew() {
		return !stored;
	}

	@PostLoad
	@PostPersist
	void markStored() {
		stored = true;
	}

	TicketId ticketId() {
		return TicketId.of(ticketId);
	}

	long seq() {
		return seq;
	}

	String type() {
		return type;
	}

	Instant occurredAt() {
		return occurredAt;
	}

	String actorId() {
		return actorId;
	}

	String actorName() {
		return actorName;
	}

	String summary() {
		return summary;
	}

	String data() {
		return data;
	}
}

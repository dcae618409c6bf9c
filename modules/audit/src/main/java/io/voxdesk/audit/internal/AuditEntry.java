package io.voxdesk.audit.internal;

import java.time.Instant;
import java.util.UUID;

import io.voxdesk.audit.AuditEntryId;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.springframework.data.domain.Persistable;

/** One audited action; never changed once written. */
@Entity
@Immutable
@Table(name = "audit_entries")
class AuditEntry implements Persistable<UUID> {

	@Id
	private UUID id;

	@org.hibernate.annotations.TenantId
	@Column(name = "tenant_id")
	private String tenantId;

	@Column(name = "occurred_at")
	private Instant occurredAt;

	@Column(name = "actor_subject")
	private String actorSubject;

	@Column(name = "actor_username")
	private String actorUsername;

	private String action;

	@Column(name = "target_type")
	private String targetType;

	@Column(name = "target_id")
	private String targetId;

	private String summary;

	protected AuditEntry() {
		this.id = new UUID(0, 0);
		this.tenantId = "";
		this.occurredAt = Instant.EPOCH;
		this.actorSubject = "";
		this.actorUsername = "";
		this.action = "";
		this.targetType = "";
		this.targetId = "";
		this.summary = "";
	}

	AuditEntry(AuditEntryId id, TenantId tenant, Instant occurredAt, Actor actor, String action, String targetType,
			String targetId, String summary) {
		this.id = id.value();
		this.tenantId = tenant.value();
		this.occurredAt = occurredAt;
		this.actorSubject = actor.subject();
		this.actorUsername = actor.username();
		this.action = action;
		this.targetType = targetType;
		this.targetId = targetId;
		this.summary = summary;
	}

	@Override
	public UUID getId() {
		return id;
	}

	@Override
	public boolean isNew() {
		return true;
	}

	AuditEntryDetails toDetails() {
		return new AuditEntryDetails(AuditEntryId.of(id), TenantId.of(tenantId), occurredAt,
				new Actor(actorSubject, actorUsername), action, targetType, targetId, summary);
	}
}

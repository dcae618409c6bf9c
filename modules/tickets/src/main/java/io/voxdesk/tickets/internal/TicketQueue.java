package io.voxdesk.tickets.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueId;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** A queue (department) of a tenant and its member agents. */
@Entity
@Table(name = "ticket_queues")
class TicketQueue {

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	private String name;

	/** Member rows get their tenant from the column default (the session's tenant). */
	@ElementCollection(fetch = FetchType.EAGER)
	@CollectionTable(name = "ticket_queue_members", joinColumns = @JoinColumn(name = "queue_id"))
	@Column(name = "user_id")
	private Set<String> members = new LinkedHashSet<>();

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "updated_at")
	private Instant updatedAt;

	@Version
	private @Nullable Long version;

	protected TicketQueue() {
		this.id = new UUID(0, 0);
		this.name = "";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	TicketQueue(QueueId id, String name, Instant now) {
		this();
		this.id = id.value();
		this.name = name;
		this.createdAt = now;
		this.updatedAt = now;
	}

	QueueId id() {
		return QueueId.of(id);
	}

	String name() {
		return name;
	}

	void change(String name, Collection<UserId> members, Instant now) {
		this.name = name;
		this.members.retainAll(members.stream().map(UserId::value).toList());
		members.forEach(member -> this.members.add(member.value()));
		this.updatedAt = now;
	}

	public QueueDetails toDetails() {
		return new QueueDetails(id(), name, members.stream().sorted().map(UserId::of).toList(), createdAt, updatedAt);
	}
}

package io.voxdesk.tickets.internal;

import java.time.Instant;
import java.util.UUID;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketDetails;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TicketStatus;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** A ticket of a tenant; its state changes go through {@link TicketWorkflow}, which also writes the timeline. */
@Entity
@Table(name = "tickets")
class Ticket {

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	private String subject;

	@Convert(converter = StatusConverter.class)
	private TicketStatus status;

	@Convert(converter = PriorityConverter.class)
	private TicketPriority priority;

	@Column(name = "contact_id")
	private @Nullable UUID contactId;

	@Column(name = "queue_id")
	private @Nullable UUID queueId;

	@Column(name = "assignee_id")
	private @Nullable String assigneeId;

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "updated_at")
	private Instant updatedAt;

	@Column(name = "closed_at")
	private @Nullable Instant closedAt;

	@Column(name = "last_entry_seq")
	private long lastEntrySeq;

	@Version
	private @Nullable Long version;

	protected Ticket() {
		this.id = new UUID(0, 0);
		this.subject = "";
		this.status = TicketStatus.PENDING;
		this.priority = TicketPriority.NORMAL;
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	Ticket(TicketId id, String subject, TicketPriority priority, @Nullable ContactId contact, @Nullable QueueId queue,
			@Nullable UserId assignee, Instant now) {
		this();
		this.id = id.value();
		this.subject = subject;
		this.priority = priority;
		this.contactId = contact == null ? null : contact.value();
		this.queueId = queue == null ? null : queue.value();
		this.assigneeId = assignee == null ? null : assignee.value();
		this.status = assignee == null ? TicketStatus.PENDING : TicketStatus.OPEN;
		this.createdAt = now;
		this.updatedAt = now;
	}

	TicketId id() {
		return TicketId.of(id);
	}

	/**
	 * For Spring Data's is-new check on save, which reads the version as a bean property: without a getter it throws
	 * (and catches) an exception on every save before falling back to the field.
	 */
	public @Nullable Long getVersion() {
		return version;
	}

	TicketStatus status() {
		return status;
	}

	@Nullable QueueId queue() {
		return queueId == null ? null : QueueId.of(queueId);
	}

	@Nullable UserId assignee() {
		return assigneeId == null ? null : UserId.of(assigneeId);
	}

	@Nullable ContactId contact() {
		return contactId == null ? null : ContactId.of(contactId);
	}

	void assign(UserId assignee, Instant now) {
		this.assigneeId = assignee.value();
		this.status = TicketStatus.OPEN;
		this.updatedAt = now;
	}

	/** Moves the ticket; without an assignee it waits in the queue again. */
	void transfer(@Nullable QueueId queue, @Nullable UserId assignee, Instant now) {
		this.queueId = queue == null ? null : queue.value();
		this.assigneeId = assignee == null ? null : assignee.value();
		this.status = assignee == null ? TicketStatus.PENDING : TicketStatus.OPEN;
		this.updatedAt = now;
	}

	void close(Instant now) {
		this.status = TicketStatus.CLOSED;
		this.closedAt = now;
		this.updatedAt = now;
	}

	void reopen(Instant now) {
		this.status = assigneeId == null ? TicketStatus.PENDING : TicketStatus.OPEN;
		this.closedAt = null;
		this.updatedAt = now;
	}

	/** Reserves the next timeline position; the ticket's row lock keeps positions gapless and unique. */
	long nextEntrySequence(Instant now) {
		this.updatedAt = now;
		return ++lastEntrySeq;
	}

	public TicketDetails toDetails() {
		return new TicketDetails(id(), subject, status, priority, contact(), queue(), assignee(), createdAt, updatedAt,
				closedAt);
	}
}

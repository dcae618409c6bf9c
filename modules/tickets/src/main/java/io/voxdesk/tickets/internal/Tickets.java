package io.voxdesk.tickets.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.tickets.TicketStatus;

import jakarta.persistence.LockModeType;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The tickets of the current tenant (the tenant filter and row-level security scope every query). */
interface Tickets extends JpaRepository<Ticket, UUID> {

	/** The ticket, locked until the transaction ends, so its timeline positions are handed out one at a time. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select t from Ticket t where t.id = :id")
	Optional<Ticket> findForUpdate(@Param("id") UUID id);

	/**
	 * The tickets, locked in id order (so two transactions locking several of them cannot deadlock). JPQL, not native:
	 * Hibernate must know they are locked ({@link TicketLocks#lock} refreshes a ticket it does not know to be locked,
	 * which would undo this transaction's changes to it).
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select t from Ticket t where t.id in :ids order by t.id")
	List<Ticket> findAllForUpdate(@Param("ids") Collection<UUID> ids);

	/**
	 * Tickets matching every given criterion that the viewer may see: all of them when {@code everything}, else
	 * those in the viewer's queues and those assigned to the viewer.
	 */
	@Query("""
			select t from Ticket t
			where (:status is null or t.status = :status)
			  and (:queue is null or t.queueId = :queue)
			  and (:assignee is null or t.assigneeId = :assignee)
			  and (:contact is null or t.contactId = :contact)
			  and (:everything = true or t.assigneeId = :viewer or t.queueId in :viewerQueues)""")
	Page<Ticket> list(@Param("status") @Nullable TicketStatus status, @Param("queue") @Nullable UUID queue,
			@Param("assignee") @Nullable String assignee, @Param("contact") @Nullable UUID contact,
			@Param("everything") boolean everything, @Param("viewer") String viewer,
			@Param("viewerQueues") Collection<UUID> viewerQueues, Pageable page);

	/** The contact's newest ticket that is not closed. */
	Optional<Ticket> findFirstByContactIdAndStatusNotOrderByCreatedAtDesc(UUID contactId, TicketStatus closed);

	/** The contact's newest ticket, whatever its status. */
	Optional<Ticket> findFirstByContactIdOrderByCreatedAtDesc(UUID contactId);

	long countByQueueIdAndStatusNot(UUID queueId, TicketStatus closed);

	/** Lets the queue's tickets no longer name it (before the queue is deleted). */
	@Modifying
	@Query("update Ticket t set t.queueId = null where t.queueId = :queue")
	int detachFromQueue(@Param("queue") UUID queue);
}

package io.voxdesk.tickets.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The timeline entries of the current tenant's tickets. */
interface TimelineRecords extends JpaRepository<TimelineRecord, UUID> {

	Optional<TimelineRecord> findByTicketIdAndIdempotencyKey(UUID ticketId, String idempotencyKey);

	/**
	 * Which of the keys the tickets' entries have, as {@code ticketId/key} strings: a superset query (any ticket, any
	 * key) the caller narrows to its pairs. Native, with array parameters: Hibernate plans a query with list parameters
	 * anew at every execution.
	 */
	@Query(value = "select cast(ticket_id as text) || '/' || idempotency_key from ticket_timeline "
			+ "where ticket_id = any(cast(:tickets as uuid[])) and idempotency_key = any(cast(:keys as text[]))",
			nativeQuery = true)
	List<String> existingKeys(@Param("tickets") UUID[] tickets, @Param("keys") String[] keys);

	List<TimelineRecord> findByTicketIdAndSeqGreaterThanOrderBySeqAsc(UUID ticketId, long afterSeq, Limit limit);
}

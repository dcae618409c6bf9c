package io.voxdesk.tickets.internal;

import java.util.Collection;
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
	 * key) the caller narrows to its pairs.
	 */
	@Query("select concat(cast(r.ticketId as String), '/', r.idempotencyKey) from TimelineRecord r "
			+ "where r.ticketId in :tickets and r.idempotencyKey in :keys")
	List<String> existingKeys(@Param("tickets") Collection<UUID> tickets, @Param("keys") Collection<String> keys);

	List<TimelineRecord> findByTicketIdAndSeqGreaterThanOrderBySeqAsc(UUID ticketId, long afterSeq, Limit limit);
}

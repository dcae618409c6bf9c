package io.voxdesk.tickets.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** The timeline entries of the current tenant's tickets. */
interface TimelineRecords extends JpaRepository<TimelineRecord, UUID> {

	Optional<TimelineRecord> findByTicketIdAndIdempotencyKey(UUID ticketId, String idempotencyKey);

	List<TimelineRecord> findByTicketIdAndSeqGreaterThanOrderBySeqAsc(UUID ticketId, long afterSeq, Limit limit);
}

package io.voxdesk.tickets.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The queues of the current tenant. */
interface TicketQueues extends JpaRepository<TicketQueue, UUID> {

	@Query("select q.id from TicketQueue q join q.members m where m = :user")
	List<UUID> idsWithMember(@Param("user") String user);

	@Query("select q from TicketQueue q where lower(q.name) = lower(:name)")
	Optional<TicketQueue> findByNameIgnoringCase(@Param("name") String name);

	List<TicketQueue> findAllByOrderByNameAsc();
}

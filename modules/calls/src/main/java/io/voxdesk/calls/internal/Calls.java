package io.voxdesk.calls.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.jspecify.annotations.Nullable;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The call records of the current tenant (the tenant filter and row-level security scope every query). */
interface Calls extends JpaRepository<CallRecord, UUID> {

	/** The call, locked until the transaction ends, so concurrent provider events apply one after another. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select c from CallRecord c where c.id = :id")
	Optional<CallRecord> findForUpdate(@Param("id") UUID id);

	/**
	 * The calls, locked until the transaction ends, in id order (callers pass the ids sorted too). Native, with one
	 * array parameter: Hibernate plans a query with a list parameter anew at every execution.
	 */
	@Query(value = "select * from calls where id = any(cast(:ids as uuid[])) order by id for update", nativeQuery = true)
	List<CallRecord> findAllForUpdate(@Param("ids") UUID[] ids);

	/** Waits for, then holds until the transaction ends, the advisory lock of this key. */
	@Query(value = "select count(*) from pg_advisory_xact_lock(hashtextextended(:key, 0))", nativeQuery = true)
	long lockClicksOf(@Param("key") String key);

	@Query("select c.id from CallRecord c where c.agentId = :agent and c.endedAt is null and c.transferCompletedAt is null "
			+ "order by c.requestedAt")
	List<UUID> findIdsInProgressOf(@Param("agent") String agent);

	/** The inbound call a provider announced with this id on this connection, if it arrived before. */
	@Query("select c from CallRecord c where c.connectionId = :connection and c.providerCallId = :providerCallId "
			+ "and c.direction = 'inbound' and c.transferredFrom is null")
	Optional<CallRecord> findArrival(@Param("connection") UUID connection,
			@Param("providerCallId") String providerCallId);

	/** Inbound callers waiting for an agent, as the queue board reads them (no lock). */
	@Query("select c from CallRecord c where c.direction = 'inbound' and c.endedAt is null and c.agentId is null "
			+ "and c.queuedAt is not null")
	List<CallRecord> findWaiting();

	/** The calls agents are on, newest first (one they handed over no longer counts). */
	@Query("select c from CallRecord c where c.endedAt is null and c.agentId is not null "
			+ "and c.transferCompletedAt is null order by c.requestedAt desc")
	List<CallRecord> findInProgress();

	/** When the agent's last call ended; {@literal null} if none did. */
	@Query("select max(c.endedAt) from CallRecord c where c.agentId = :agent")
	@Nullable Instant lastEndedOf(@Param("agent") String agent);

	@Query("select count(c) from CallRecord c where c.agentId = :agent and c.answeredAt >= :since")
	long countAnsweredSince(@Param("agent") String agent, @Param("since") Instant since);

	/** The call with the provider's id on the connection, of either direction. */
	@Query("select c from CallRecord c where c.connectionId = :connection and c.providerCallId = :providerCallId")
	List<CallRecord> findByProviderCall(@Param("connection") UUID connection,
			@Param("providerCallId") String providerCallId);

	@Query("select c from CallRecord c where c.ticketId = :ticket order by c.requestedAt desc")
	List<CallRecord> findByTicket(@Param("ticket") UUID ticket);

	@Query("select c from CallRecord c where c.agentId = :agent order by c.requestedAt desc limit 100")
	List<CallRecord> findRecentByAgent(@Param("agent") String agent);

	/** Calls of a connection not ended yet, oldest first: what a reconnecting connector reconciles. */
	@Query("select c from CallRecord c where c.connectionId = :connection and c.endedAt is null order by c.requestedAt")
	List<CallRecord> findOpen(@Param("connection") UUID connection);

	/** Calls not ended whose last news is older than the cut-off: what the sweeper settles. */
	@Query("select c from CallRecord c where c.endedAt is null and c.updatedAt < :before order by c.updatedAt")
	List<CallRecord> findStale(@Param("before") Instant before);
}

package io.voxdesk.tickets.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.TenantContext;

import org.hibernate.Hibernate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The row and advisory locks that keep concurrent changes to a ticket, and concurrent calls for one contact, in
 * line. Called inside the caller's transaction, and every lock lasts until it ends.
 */
@Component
class TicketLocks {

	private final Tickets tickets;

	private final EntityManager entities;

	private final JdbcClient jdbc;

	private final TenantContext context;

	TicketLocks(Tickets tickets, EntityManager entities, JdbcClient jdbc, TenantContext context) {
		this.tickets = tickets;
		this.entities = entities;
		this.jdbc = jdbc;
		this.context = context;
	}

	/**
	 * The ticket, locked. A ticket this transaction read before without the lock (another module checked it, then
	 * appends) is refreshed under the lock: the locking query alone would keep the state and version read earlier,
	 * and the next flush would fail as a concurrent change if another transaction appended meanwhile.
	 */
	Optional<Ticket> lock(UUID id) {
		var known = entities.getReference(Ticket.class, id);
		if (Hibernate.isInitialized(known)) {
			// Locked already by this transaction: current, and maybe changed (a refresh would undo that).
			if (entities.getLockMode(known) != LockModeType.PESSIMISTIC_WRITE) {
				entities.refresh(known, LockModeType.PESSIMISTIC_WRITE);
			}
			return Optional.of(known);
		}
		return tickets.findForUpdate(id);
	}

	/** The tickets that exist, locked as {@link #lock} does; those not read yet with one query. */
	Map<UUID, Ticket> lockAll(List<UUID> ids) {
		var locked = new HashMap<UUID, Ticket>();
		var toQuery = new ArrayList<UUID>();
		for (var id : ids) {
			if (Hibernate.isInitialized(entities.getReference(Ticket.class, id))) {
				lock(id).ifPresent(ticket -> locked.put(id, ticket));
			}
			else {
				toQuery.add(id);
			}
		}
		if (toQuery.size() == 1) {
			// One ticket (the usual case) by the single-id query: Hibernate replans a query with a list parameter at
			// every execution.
			tickets.findForUpdate(toQuery.getFirst()).ifPresent(ticket -> locked.put(ticket.id().value(), ticket));
		}
		else if (!toQuery.isEmpty()) {
			tickets.findAllForUpdate(toQuery).forEach(ticket -> locked.put(ticket.id().value(), ticket));
		}
		return locked;
	}

	/** Holds other transactions asking for the same contact's ticket until this one ends. */
	void lockContact(ContactId contact) {
		jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
			.param("key", "ticket-of-contact:" + context.currentTenant().value() + ":" + contact.value())
			.query()
			.listOfRows();
	}
}

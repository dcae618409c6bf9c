package io.voxdesk.calls.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.InboundNumberChanged;
import io.voxdesk.calls.InboundNumberDetails;
import io.voxdesk.calls.InboundNumberDraft;
import io.voxdesk.calls.InboundNumberId;
import io.voxdesk.calls.InboundNumberManagement;
import io.voxdesk.calls.InboundNumberNotFoundException;
import io.voxdesk.calls.InboundPolicy;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.InvalidPhoneNumberException;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/** The {@link InboundNumberManagement} of this module: rows of {@code inbound_numbers}, checked against the tenant. */
@Service
class DefaultInboundNumberManagement implements InboundNumberManagement {

	private static final String COLUMNS = "id, connection_id, number, queue_id, user_id, created_at, updated_at";

	private final JdbcClient jdbc;

	private final ProviderConnectionWorkflow connections;

	private final ContactManagement contacts;

	private final QueueManagement queues;

	private final MemberDirectory members;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	DefaultInboundNumberManagement(JdbcClient jdbc, ProviderConnectionWorkflow connections, ContactManagement contacts,
			QueueManagement queues, MemberDirectory members, TenantContext context, ApplicationEventPublisher events,
			Optional<Clock> clock) {
		this.jdbc = jdbc;
		this.connections = connections;
		this.contacts = contacts;
		this.queues = queues;
		this.members = members;
		this.context = context;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	@Transactional(readOnly = true)
	public List<InboundNumberDetails> list() {
		return jdbc.sql("select " + COLUMNS + " from inbound_numbers order by number")
			.query(DefaultInboundNumberManagement::details)
			.list();
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<InboundNumberDetails> find(InboundNumberId id) {
		return jdbc.sql("select " + COLUMNS + " from inbound_numbers where id = :id")
			.param("id", id.value())
			.query(DefaultInboundNumberManagement::details)
			.optional();
	}

	@Override
	@Transactional
	public InboundNumberDetails create(InboundNumberDraft draft) {
		var number = checked(draft, null);
		var id = new InboundNumberId(UUID.randomUUID());
		var now = java.sql.Timestamp.from(clock.instant());
		try {
			jdbc.sql("insert into inbound_numbers (id, tenant_id, connection_id, number, queue_id, user_id, created_at, "
					+ "updated_at) values (:id, :tenant, :connection, :number, :queue, :user, :now, :now)")
				.params(Map.of("id", id.value(), "tenant", context.currentTenant().value(), "connection",
						draft.connection().value(), "number", number, "now", now))
				.param("queue", draft.queue() == null ? null : draft.queue().value())
				.param("user", draft.user() == null ? null : draft.user().value())
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw takenElsewhere(number);
		}
		var created = find(id).orElseThrow();
		publish(created, "created");
		return created;
	}

	@Override
	@Transactional
	public InboundNumberDetails update(InboundNumberId id, InboundNumberDraft draft) {
		var existing = find(id).orElseThrow(() -> new InboundNumberNotFoundException(id));
		var number = checked(draft, id);
		try {
			jdbc.sql("update inbound_numbers set connection_id = :connection, number = :number, queue_id = :queue, "
					+ "user_id = :user, updated_at = :now where id = :id")
				.param("connection", draft.connection().value())
				.param("number", number)
				.param("queue", draft.queue() == null ? null : draft.queue().value())
				.param("user", draft.user() == null ? null : draft.user().value())
				.param("now", java.sql.Timestamp.from(clock.instant()))
				.param("id", existing.id().value())
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw takenElsewhere(number);
		}
		var updated = find(id).orElseThrow();
		publish(updated, "updated");
		return updated;
	}

	@Override
	@Transactional
	public void delete(InboundNumberId id) {
		var existing = find(id).orElseThrow(() -> new InboundNumberNotFoundException(id));
		jdbc.sql("delete from inbound_numbers where id = :id").param("id", id.value()).update();
		events.publishEvent(new InboundNumberChanged(context.currentTenant(), id, existing.number(), "deleted", "",
				context.actor(), clock.instant()));
	}

	@Override
	@Transactional(readOnly = true)
	public InboundPolicy policy() {
		return jdbc.sql("select create_contacts, tickets from inbound_policies")
			.query((rs, row) -> new InboundPolicy(rs.getBoolean(1), InboundPolicy.Tickets.of(rs.getString(2))))
			.optional()
			.orElse(InboundPolicy.DEFAULT);
	}

	@Override
	@Transactional
	public InboundPolicy changePolicy(InboundPolicy policy) {
		jdbc.sql("""
				insert into inbound_policies (tenant_id, create_contacts, tickets, updated_at)
				values (:tenant, :contacts, :tickets, :now)
				on conflict (tenant_id) do update set create_contacts = excluded.create_contacts,
				  tickets = excluded.tickets, updated_at = excluded.updated_at""")
			.param("tenant", context.currentTenant().value())
			.param("contacts", policy.createContacts())
			.param("tickets", policy.tickets().code())
			.param("now", java.sql.Timestamp.from(clock.instant()))
			.update();
		return policy();
	}

	/**
	 * Where calls to {@code dialled} on the connection go. A provider may give the number in E.164, as digits with
	 * the country code but without the plus, or in the tenant's national spelling: each reading is tried.
	 */
	@Transactional(readOnly = true)
	Optional<InboundNumberDetails> routeOf(ProviderConnectionId connection, String dialled) {
		var readings = readings(dialled);
		if (readings.isEmpty()) {
			return Optional.empty();
		}
		return jdbc.sql("select " + COLUMNS + " from inbound_numbers where connection_id = :connection and number in "
				+ "(:numbers) order by number")
			.param("connection", connection.value())
			.param("numbers", readings)
			.query(DefaultInboundNumberManagement::details)
			.list()
			.stream()
			.findFirst();
	}

	/** The E.164 numbers a provider's spelling of a dialled number can be, the tenant's national reading first. */
	List<String> readings(String dialled) {
		var readings = new LinkedHashSet<String>();
		try {
			readings.add(contacts.toE164("dialled", dialled));
		}
		catch (InvalidPhoneNumberException ex) {
			// Not a number in the tenant's region; the international reading below may still be one.
		}
		var digits = dialled.strip();
		if (digits.matches("[1-9][0-9]{6,14}")) {
			readings.add("+" + digits);
		}
		return List.copyOf(readings);
	}

	/** The number in E.164, once the draft names a connection, a queue or a user of this tenant and no taken number. */
	private String checked(InboundNumberDraft draft, @Nullable InboundNumberId self) {
		if ((draft.queue() == null) == (draft.user() == null)) {
			throw invalid("queueId", "Route the number to a queue (queueId) or to one user (userId): exactly one of them.");
		}
		if (connections.find(draft.connection()).isEmpty()) {
			throw invalid("connectionId", "There is no provider connection " + draft.connection() + " in your "
					+ "organization.");
		}
		if (draft.queue() != null && queues.find(draft.queue()).isEmpty()) {
			throw invalid("queueId", "There is no queue " + draft.queue() + " in your organization.");
		}
		if (draft.user() != null && members.find(draft.user()).isEmpty()) {
			throw invalid("userId", "User " + draft.user() + " is not a member of your organization (users become "
					+ "members when they first sign in).");
		}
		var number = contacts.toE164("number", draft.number());
		jdbc.sql("select " + COLUMNS + " from inbound_numbers where number = :number")
			.param("number", number)
			.query(DefaultInboundNumberManagement::details)
			.optional()
			.filter(taken -> !taken.id().equals(self))
			.ifPresent(taken -> {
				throw new CallNotPossibleException("Number taken", "The number " + number + " is already routed in "
						+ "your organization; change that entry instead.");
			});
		return number;
	}

	/** The index spans tenants and this tenant's own rows were checked first: the number is another tenant's. */
	private static CallNotPossibleException takenElsewhere(String number) {
		return new CallNotPossibleException("Number taken", "The number " + number + " is routed by another "
				+ "organization. A number reaches one organization only; ask your provider which one has it.");
	}

	private void publish(InboundNumberDetails number, String change) {
		var route = number.queue() != null ? "queue " + number.queue() : "user " + number.user();
		events.publishEvent(new InboundNumberChanged(context.currentTenant(), number.id(), number.number(), change,
				route, context.actor(), clock.instant()));
	}

	private static InboundNumberDetails details(ResultSet rs, int row) throws SQLException {
		var queue = rs.getObject("queue_id", UUID.class);
		var user = rs.getString("user_id");
		return new InboundNumberDetails(InboundNumberId.of(rs.getObject("id", UUID.class)),
				ProviderConnectionId.of(rs.getObject("connection_id", UUID.class)), rs.getString("number"),
				queue == null ? null : QueueId.of(queue), user == null ? null : UserId.of(user),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

	private static ErrorResponseException invalid(String field, String message) {
		return InvalidField.problem("Invalid inbound number", field, message);
	}
}

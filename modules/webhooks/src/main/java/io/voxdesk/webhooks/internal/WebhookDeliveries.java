package io.voxdesk.webhooks.internal;

import static io.voxdesk.webhooks.internal.WebhookEndpoints.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.webhooks.WebhookEndpointId;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The outbox of webhook deliveries and the log of their attempts. */
@Repository
class WebhookDeliveries {

	static final String PENDING = "pending";

	static final String DELIVERED = "delivered";

	static final String FAILED = "failed";

	private final JdbcClient jdbc;

	WebhookDeliveries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Queues a delivery due now, once per endpoint and event key: an event handed over again (the event publication
	 * registry republishes what it cannot tell was done) adds nothing.
	 *
	 * @return whether it was queued now.
	 */
	boolean enqueue(UUID id, TenantId tenant, WebhookEndpointId endpoint, String type, String eventKey,
			String orderingKey, String payload, Instant now) {
		// Until this transaction ends: deliveries about one call take their places (seq) in the order their facts
		// commit, not the order their inserts ran, when two transactions tell about the same call at once.
		jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))")
			.param("key", endpoint.value() + "|" + orderingKey)
			.query()
			.listOfRows();
		return jdbc.sql("""
				insert into webhook_deliveries (id, tenant_id, endpoint_id, event_type, event_key, ordering_key, payload,
				  created_at, state, next_attempt_at)
				values (:id, :tenant, :endpoint, :type, :key, :ordering, :payload, :now, 'pending', :now)
				on conflict (endpoint_id, event_key) do nothing""")
			.param("id", id)
			.param("tenant", tenant.value())
			.param("endpoint", endpoint.value())
			.param("type", type)
			.param("key", eventKey)
			.param("ordering", orderingKey)
			.param("payload", payload)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/** Due deliveries across tenants, leased to this instance: ids and tenants only. */
	List<Claimed> claim(int limit, int perEndpoint, int leaseSeconds) {
		return jdbc.sql("select * from claim_webhook_deliveries(:limit, :per, :lease)")
			.param("limit", limit)
			.param("per", perEndpoint)
			.param("lease", leaseSeconds)
			.query((rs, row) -> new Claimed(rs.getObject("id", UUID.class), TenantId.of(rs.getString("tenant_id")),
					rs.getTimestamp("leased_until")))
			.list();
	}

	/** What an attempt needs, read in the delivery's tenant. */
	Optional<Outgoing> outgoing(UUID id) {
		return jdbc.sql("""
				select d.id, d.endpoint_id, d.event_type, d.payload, d.attempts, d.round_start, d.created_at, d.state,
				  e.url, e.secret, e.previous_secret, e.previous_secret_until
				from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
				where d.id = :id""")
			.param("id", id)
			.query((rs, row) -> new Outgoing(rs.getObject("id", UUID.class),
					WebhookEndpointId.of(rs.getObject("endpoint_id", UUID.class)), rs.getString("event_type"),
					rs.getString("payload"), rs.getInt("attempts"), rs.getInt("round_start"), instant(rs, "created_at"),
					rs.getString("state"), rs.getString("url"), rs.getString("secret"), rs.getString("previous_secret"),
					instant(rs, "previous_secret_until")))
			.optional();
	}

	/**
	 * Writes an attempt's outcome, if this instance still holds the lease it attempted under (an attempt that outlived
	 * its lease may have been made again elsewhere: the later one's outcome stands).
	 *
	 * @return whether it was written.
	 */
	boolean attempted(Claimed claimed, Attempt attempt, String state, @Nullable Instant nextAttemptAt,
			@Nullable String failure) {
		var updated = jdbc.sql("""
				update webhook_deliveries set attempts = :attempt, state = :state, next_attempt_at = :next,
				  leased_until = null, last_attempt_at = :started, last_status = :status, failure = :failure,
				  delivered_at = case when :state = 'delivered' then now() else delivered_at end
				where id = :id and leased_until = :lease""")
			.param("id", claimed.id())
			.param("lease", claimed.leasedUntil())
			.param("attempt", attempt.number())
			.param("state", state)
			.param("next", nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt))
			.param("started", Timestamp.from(Objects.requireNonNull(attempt.startedAt())))
			.param("status", attempt.statusCode())
			.param("failure", failure)
			.update() == 1;
		if (updated) {
			jdbc.sql("""
					insert into webhook_attempts (delivery_id, attempt, tenant_id, started_at, latency_ms, status_code,
					  response_excerpt, error)
					select id, :attempt, tenant_id, :started, :latency, :status, :excerpt, :error
					from webhook_deliveries where id = :id""")
				.param("id", claimed.id())
				.param("attempt", attempt.number())
				.param("started", Timestamp.from(Objects.requireNonNull(attempt.startedAt())))
				.param("latency", attempt.latencyMillis())
				.param("status", attempt.statusCode())
				.param("excerpt", attempt.responseExcerpt())
				.param("error", attempt.error())
				.update();
		}
		return updated;
	}

	/** Deletes delivered and failed deliveries older than {@code keepFor}, in every tenant. */
	int purge(Duration keepFor) {
		return jdbc.sql("select purge_webhook_deliveries(:seconds)")
			.param("seconds", keepFor.toSeconds())
			.query(Integer.class)
			.single();
	}

	/** Whether anything reached the endpoint since {@code since}: an endpoint that works now and then stays on. */
	boolean deliveredSince(WebhookEndpointId endpoint, Instant since) {
		return jdbc.sql("select exists (select 1 from webhook_deliveries where endpoint_id = :endpoint and delivered_at >= :since)")
			.param("endpoint", endpoint.value())
			.param("since", Timestamp.from(since))
			.query(Boolean.class)
			.single();
	}

	/** The endpoint's newest deliveries, newest first. */
	List<Delivery> log(WebhookEndpointId endpoint, @Nullable String state, int limit) {
		return jdbc.sql("""
				select * from webhook_deliveries where endpoint_id = :endpoint and (cast(:state as varchar) is null or state = :state)
				order by seq desc limit :limit""")
			.param("endpoint", endpoint.value())
			.param("state", state)
			.param("limit", limit)
			.query(WebhookDeliveries::delivery)
			.list();
	}

	Optional<Delivery> find(WebhookEndpointId endpoint, UUID id) {
		return jdbc.sql("select * from webhook_deliveries where endpoint_id = :endpoint and id = :id")
			.param("endpoint", endpoint.value())
			.param("id", id)
			.query(WebhookDeliveries::delivery)
			.optional();
	}

	List<Attempt> attempts(UUID delivery) {
		return jdbc.sql("select * from webhook_attempts where delivery_id = :id order by attempt")
			.param("id", delivery)
			.query((rs, row) -> new Attempt(rs.getInt("attempt"), instant(rs, "started_at"), rs.getInt("latency_ms"),
					(Integer) rs.getObject("status_code"), rs.getString("response_excerpt"), rs.getString("error")))
			.list();
	}

	/** "Send again": due now, its retries starting over; one being attempted right now is left alone. */
	boolean sendAgain(WebhookEndpointId endpoint, UUID id, Instant now) {
		return jdbc.sql("""
				update webhook_deliveries set state = 'pending', next_attempt_at = :now, round_start = attempts,
				  failure = null
				where endpoint_id = :endpoint and id = :id and (leased_until is null or leased_until <= now())""")
			.param("endpoint", endpoint.value())
			.param("id", id)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	private static Delivery delivery(ResultSet rs, int row) throws SQLException {
		return new Delivery(rs.getObject("id", UUID.class), rs.getString("event_type"), instant(rs, "created_at"),
				rs.getString("state"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
				instant(rs, "last_attempt_at"), (Integer) rs.getObject("last_status"), instant(rs, "delivered_at"),
				rs.getString("failure"), rs.getString("payload"));
	}

	/** A delivery leased to this instance, until {@code leasedUntil} (the database's clock, kept as it wrote it). */
	record Claimed(UUID id, TenantId tenant, Timestamp leasedUntil) {
	}

	/** What one attempt sends and to whom; secrets as ciphertext. */
	record Outgoing(UUID id, WebhookEndpointId endpoint, String type, String payload, int attempts, int roundStart,
			@Nullable Instant createdAt, String state, String url, String secret, @Nullable String previousSecret,
			@Nullable Instant previousSecretUntil) {
	}

	/** One attempt as the delivery log shows it. */
	record Attempt(int number, @Nullable Instant startedAt, int latencyMillis, @Nullable Integer statusCode,
			@Nullable String responseExcerpt, @Nullable String error) {
	}

	/** A delivery as the log shows it. */
	record Delivery(UUID id, String type, @Nullable Instant createdAt, String state, int attempts,
			@Nullable Instant nextAttemptAt, @Nullable Instant lastAttemptAt, @Nullable Integer lastStatus,
			@Nullable Instant deliveredAt, @Nullable String failure, String payload) {
	}
}

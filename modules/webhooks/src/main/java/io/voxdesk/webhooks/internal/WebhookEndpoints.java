package io.voxdesk.webhooks.internal;

import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.webhooks.WebhookEndpointId;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenants' webhook endpoints; row-level security keeps each tenant to its own. */
@Repository
class WebhookEndpoints {

	/** What the endpoints' signing secrets are encrypted for, with the tenant's key. */
	static final SecretPurpose SECRET = SecretPurpose.of("webhooks.secret");

	private final JdbcClient jdbc;

	WebhookEndpoints(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Endpoint endpoint) {
		jdbc.sql("""
				insert into webhook_endpoints (id, tenant_id, url, description, event_types, enabled, secret, created_at,
				  updated_at)
				values (:id, :tenant, :url, :description, :types, :enabled, :secret, :now, :now)""")
			.param("id", endpoint.id().value())
			.param("tenant", endpoint.tenant().value())
			.param("url", endpoint.url())
			.param("description", endpoint.description())
			.param("types", endpoint.eventTypes().toArray(String[]::new))
			.param("enabled", endpoint.enabled())
			.param("secret", endpoint.secret())
			.param("now", Timestamp.from(endpoint.createdAt()))
			.update();
	}

	List<Endpoint> all() {
		return jdbc.sql("select * from webhook_endpoints order by created_at").query(WebhookEndpoints::endpoint).list();
	}

	Optional<Endpoint> find(WebhookEndpointId id) {
		return jdbc.sql("select * from webhook_endpoints where id = :id")
			.param("id", id.value())
			.query(WebhookEndpoints::endpoint)
			.optional();
	}

	/** Enabled endpoints of the current tenant that subscribed to {@code type}. */
	List<WebhookEndpointId> subscribedTo(String type) {
		return jdbc.sql("select id from webhook_endpoints where enabled and :type = any(event_types)")
			.param("type", type)
			.query((rs, row) -> WebhookEndpointId.of(rs.getObject("id", UUID.class)))
			.list();
	}

	/** Changes what an admin can change; turning an endpoint on again clears Voxdesk's reason for turning it off. */
	boolean update(WebhookEndpointId id, String url, @Nullable String description, List<String> types, boolean enabled,
			Instant now) {
		return jdbc.sql("""
				update webhook_endpoints set url = :url, description = :description, event_types = :types,
				  enabled = :enabled, updated_at = :now,
				  disabled_at = case when :enabled then null else disabled_at end,
				  disabled_reason = case when :enabled then null else disabled_reason end
				where id = :id""")
			.param("id", id.value())
			.param("url", url)
			.param("description", description)
			.param("types", types.toArray(String[]::new))
			.param("enabled", enabled)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	boolean rotate(WebhookEndpointId id, String secret, Instant previousUntil, Instant now) {
		return jdbc.sql("""
				update webhook_endpoints set previous_secret = secret, previous_secret_until = :until, secret = :secret,
				  updated_at = :now
				where id = :id""")
			.param("id", id.value())
			.param("secret", secret)
			.param("until", Timestamp.from(previousUntil))
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/** Turns an enabled endpoint off with Voxdesk's reason; false when it was off already. */
	boolean disable(WebhookEndpointId id, String reason, Instant now) {
		return jdbc.sql("""
				update webhook_endpoints set enabled = false, disabled_at = :now, disabled_reason = :reason,
				  updated_at = :now
				where id = :id and enabled""")
			.param("id", id.value())
			.param("reason", reason)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/**
	 * The URL's host alone, for events and the audit log: hosts such as chat and automation services carry a
	 * token in the path or the query.
	 */
	static String hostOf(String url) {
		var host = URI.create(url).getHost();
		return host == null ? "(no host)" : host;
	}

	boolean delete(WebhookEndpointId id) {
		return jdbc.sql("delete from webhook_endpoints where id = :id").param("id", id.value()).update() == 1;
	}

	private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
		return new Endpoint(WebhookEndpointId.of(rs.getObject("id", UUID.class)), TenantId.of(rs.getString("tenant_id")),
				rs.getString("url"), rs.getString("description"), strings(rs.getArray("event_types")),
				rs.getBoolean("enabled"), instant(rs, "disabled_at"), rs.getString("disabled_reason"),
				rs.getString("secret"), rs.getString("previous_secret"), instant(rs, "previous_secret_until"),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static List<String> strings(Array array) throws SQLException {
		return Arrays.asList((String[]) array.getArray());
	}

	static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		var value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	/** An endpoint as stored: secrets as ciphertext. */
	record Endpoint(WebhookEndpointId id, TenantId tenant, String url, @Nullable String description,
			List<String> eventTypes, boolean enabled, @Nullable Instant disabledAt, @Nullable String disabledReason,
			String secret, @Nullable String previousSecret, @Nullable Instant previousSecretUntil,
			@Nullable Instant createdAt, @Nullable Instant updatedAt) {
	}
}

package io.voxdesk.api4com.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The webhook registration of each API4COM connection. The token in the webhook URL is a password API4COM sends
 * back with every event, so only its SHA-256 is stored (it is 256 random bits: a plain hash cannot be guessed
 * back); the token itself exists only in the request to API4COM.
 */
@Repository
class WebhookStore {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	WebhookStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A new webhook token: 32 random bytes, URL-safe base64 without padding (43 characters). */
	static String newToken() {
		var bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String hash(String token) {
		try {
			var digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	/**
	 * The tenant and connection a webhook token belongs to, in any tenant: called without a tenant scope, through
	 * the definer function that reveals nothing else.
	 */
	Optional<Target> target(String token) {
		return jdbc.sql("select tenant_id, connection_id from api4com_webhook_target(:hash)")
			.param("hash", hash(token))
			.query((rs, row) -> new Target(TenantId.of(rs.getString(1)),
					ProviderConnectionId.of(rs.getObject(2, UUID.class))))
			.optional();
	}

	/** The current tenant's registration of the connection. */
	Optional<Registration> find(ProviderConnectionId connection) {
		return jdbc.sql("""
				select connection_id, token_hash, integration_id, public_base_url, registered_at, attempted_at, problem
				from api4com_webhooks where connection_id = :connection""")
			.param("connection", connection.value())
			.query(WebhookStore::registration)
			.optional();
	}

	/** Records a registration API4COM accepted: from now on only the new token is let in. */
	void registered(TenantId tenant, ProviderConnectionId connection, String tokenHash, @Nullable String integration,
			String publicBaseUrl, Instant now) {
		jdbc.sql("""
				insert into api4com_webhooks (tenant_id, connection_id, token_hash, integration_id, public_base_url,
				  registered_at, attempted_at, problem)
				values (:tenant, :connection, :hash, :integration, :base, :now, :now, null)
				on conflict (connection_id) do update set token_hash = excluded.token_hash,
				  integration_id = excluded.integration_id, public_base_url = excluded.public_base_url,
				  registered_at = excluded.registered_at, attempted_at = excluded.attempted_at, problem = null""")
			.param("tenant", tenant.value())
			.param("connection", connection.value())
			.param("hash", tokenHash)
			.param("integration", integration)
			.param("base", publicBaseUrl)
			.param("now", Timestamp.from(now))
			.update();
	}

	/**
	 * Records a failed registration. The previous token, if any, stays valid: API4COM still sends to its URL.
	 */
	void failed(TenantId tenant, ProviderConnectionId connection, String problem, Instant now) {
		jdbc.sql("""
				insert into api4com_webhooks (tenant_id, connection_id, attempted_at, problem)
				values (:tenant, :connection, :now, :problem)
				on conflict (connection_id) do update set attempted_at = excluded.attempted_at,
				  problem = excluded.problem""")
			.param("tenant", tenant.value())
			.param("connection", connection.value())
			.param("now", Timestamp.from(now))
			.param("problem", problem.length() > 500 ? problem.substring(0, 500) : problem)
			.update();
	}

	void delete(ProviderConnectionId connection) {
		jdbc.sql("delete from api4com_webhooks where connection_id = :connection")
			.param("connection", connection.value())
			.update();
	}

	private static Registration registration(ResultSet rs, int row) throws SQLException {
		return new Registration(ProviderConnectionId.of(rs.getObject(1, UUID.class)), rs.getString(2), rs.getString(3),
				rs.getString(4), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7));
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	/** Whose webhook URL a token opens. */
	record Target(TenantId tenant, ProviderConnectionId connection) {
	}

	/**
	 * A connection's webhook registration.
	 *
	 * @param tokenHash the hash of the token API4COM has; {@literal null} until a registration succeeded.
	 * @param problem why the last attempt failed; {@literal null} when it succeeded.
	 */
	record Registration(ProviderConnectionId connection, @Nullable String tokenHash, @Nullable String integrationId,
			@Nullable String publicBaseUrl, @Nullable Instant registeredAt, @Nullable Instant attemptedAt,
			@Nullable String problem) {
	}
}

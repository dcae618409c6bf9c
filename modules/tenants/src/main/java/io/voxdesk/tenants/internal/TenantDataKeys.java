package io.voxdesk.tenants.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.voxdesk.tenants.TenantId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The wrapped data keys of tenants; row-level security limits every query to the current tenant's rows. */
@Component
class TenantDataKeys {

	private final JdbcClient jdbc;

	TenantDataKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<WrappedKey> latest(TenantId tenant) {
		return jdbc.sql("select version, master_key_version, wrapped_key from tenant_keys where tenant_id = ? "
				+ "order by version desc limit 1")
			.param(tenant.value())
			.query(TenantDataKeys::wrappedKey)
			.optional();
	}

	Optional<WrappedKey> find(TenantId tenant, int version) {
		return jdbc.sql("select version, master_key_version, wrapped_key from tenant_keys "
				+ "where tenant_id = ? and version = ?")
			.params(tenant.value(), version)
			.query(TenantDataKeys::wrappedKey)
			.optional();
	}

	List<WrappedKey> wrappedUnderOtherThan(TenantId tenant, int masterKeyVersion) {
		return jdbc.sql("select version, master_key_version, wrapped_key from tenant_keys "
				+ "where tenant_id = ? and master_key_version <> ? order by version")
			.params(tenant.value(), masterKeyVersion)
			.query(TenantDataKeys::wrappedKey)
			.list();
	}

	/** Adds a key version unless another instance added the same version first; tells whether this one won. */
	boolean insert(TenantId tenant, WrappedKey key) {
		return jdbc.sql("insert into tenant_keys (tenant_id, version, master_key_version, wrapped_key, created_at) "
				+ "values (?, ?, ?, ?, ?) on conflict (tenant_id, version) do nothing")
			.params(tenant.value(), key.version(), key.masterKeyVersion(), key.wrappedKey(),
					Timestamp.from(Instant.now()))
			.update() == 1;
	}

	void rewrap(TenantId tenant, WrappedKey key) {
		jdbc.sql("update tenant_keys set master_key_version = ?, wrapped_key = ? where tenant_id = ? and version = ?")
			.params(key.masterKeyVersion(), key.wrappedKey(), tenant.value(), key.version())
			.update();
	}

	/**
	 * Maps by position: a mapper by record component would first ask PgJDBC for a {@code wrappedKey} column, which
	 * throws (and is caught) on every row before {@code wrapped_key} is tried.
	 */
	private static WrappedKey wrappedKey(ResultSet row, int number) throws SQLException {
		return new WrappedKey(row.getInt(1), row.getInt(2), row.getBytes(3));
	}

	/** One stored data key: its version, the master key version that wraps it and the wrapped bytes. */
	record WrappedKey(int version, int masterKeyVersion, byte[] wrappedKey) {
	}
}

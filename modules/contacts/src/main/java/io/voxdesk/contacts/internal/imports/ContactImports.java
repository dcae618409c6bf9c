package io.voxdesk.contacts.internal.imports;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Imports, their files and their error reports; row-level security scopes every query to the tenant. */
@Component
class ContactImports {

	private final JdbcClient jdbc;

	private final JdbcTemplate batches;

	ContactImports(JdbcClient jdbc, JdbcTemplate batches) {
		this.jdbc = jdbc;
		this.batches = batches;
	}

	/** An import's state as stored. */
	record ImportState(UUID id, String fileName, String status, @Nullable String charset, @Nullable String delimiter,
			@Nullable String columns, @Nullable Integer rowsTotal, int rowsRead, int rowsImported, int rowsRejected,
			@Nullable String failure, String createdBy, Instant createdAt, @Nullable Instant startedAt,
			@Nullable Instant finishedAt) {
	}

	/**
	 * Maps by column name: a mapper by record component would first ask PgJDBC for a {@code fileName} column, which
	 * throws (and is caught) for every multi-word component of every row before {@code file_name} is tried.
	 */
	private static ImportState importState(ResultSet row, int number) throws SQLException {
		return new ImportState(row.getObject("id", UUID.class), row.getString("file_name"), row.getString("status"),
				row.getString("charset"), row.getString("delimiter"), row.getString("columns"),
				row.getObject("rows_total", Integer.class), row.getInt("rows_read"), row.getInt("rows_imported"),
				row.getInt("rows_rejected"), row.getString("failure"), row.getString("created_by"),
				instant(row, "created_at"), instant(row, "started_at"), instant(row, "finished_at"));
	}

	private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
		var value = row.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	void create(UUID id, TenantId tenant, String fileName, byte[] content, String columns, int total, String createdBy,
			Instant now) {
		jdbc.sql("insert into contact_imports (id, tenant_id, file_name, status, columns, rows_total, created_by, created_at) "
				+ "values (?, ?, ?, 'QUEUED', ?, ?, ?, ?)")
			.params(id, tenant.value(), fileName, columns, total, createdBy, Timestamp.from(now))
			.update();
		jdbc.sql("insert into contact_import_files (import_id, tenant_id, content) values (?, ?, ?)")
			.params(id, tenant.value(), content)
			.update();
	}

	Optional<ImportState> find(UUID id) {
		return jdbc.sql("select id, file_name, status, charset, delimiter, columns, rows_total, rows_read, rows_imported, "
				+ "rows_rejected, failure, created_by, created_at, started_at, finished_at from contact_imports where id = ?")
			.param(id)
			.query(ContactImports::importState)
			.optional();
	}

	List<ImportState> recent(int limit) {
		return jdbc.sql("select id, file_name, status, charset, delimiter, columns, rows_total, rows_read, rows_imported, "
				+ "rows_rejected, failure, created_by, created_at, started_at, finished_at from contact_imports "
				+ "order by created_at desc limit ?")
			.param(limit)
			.query(ContactImports::importState)
			.list();
	}

	Optional<byte[]> file(UUID id) {
		return jdbc.sql("select content from contact_import_files where import_id = ?").param(id).query(byte[].class).optional();
	}

	void start(UUID id, String charset, char delimiter, Instant now) {
		jdbc.sql("update contact_imports set status = 'RUNNING', charset = ?, delimiter = ?, "
				+ "started_at = coalesce(started_at, ?) where id = ?")
			.params(charset, String.valueOf(delimiter), Timestamp.from(now), id)
			.update();
	}

	void checkpoint(UUID id, int rowsRead, int imported, int rejected) {
		jdbc.sql("update contact_imports set rows_read = ?, rows_imported = rows_imported + ?, "
				+ "rows_rejected = rows_rejected + ? where id = ?")
			.params(rowsRead, imported, rejected, id)
			.update();
	}

	void addErrors(UUID id, TenantId tenant, List<ImportRows.RowError> errors) {
		batches.batchUpdate("insert into contact_import_errors (import_id, tenant_id, row_number, column_name, reason) "
				+ "values (?, ?, ?, ?, ?) on conflict do nothing", errors.stream()
			.map(error -> new Object[] { id, tenant.value(), error.row(), error.column(), error.reason() })
			.toList());
	}

	List<ImportRows.RowError> errors(UUID id) {
		return jdbc.sql("select row_number as \"row\", column_name as \"column\", reason from contact_import_errors "
				+ "where import_id = ? order by row_number, column_name nulls first, reason")
			.param(id)
			.query(ImportRows.RowError.class)
			.list();
	}

	void finish(UUID id, String status, @Nullable String failure, Instant now) {
		jdbc.sql("update contact_imports set status = ?, failure = ?, finished_at = ? where id = ?")
			.params(status, failure, Timestamp.from(now), id)
			.update();
		jdbc.sql("delete from contact_import_files where import_id = ?").param(id).update();
	}
}

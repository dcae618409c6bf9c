package io.voxdesk.contacts.internal.imports;

import java.io.StringReader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import io.voxdesk.tenants.TenantId;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Stores a batch of valid rows the way PostgreSQL loads data fastest: {@code COPY} into a temporary staging
 * table, then a few set-based statements that match rows to existing contacts (by any number, else by email,
 * else by name for contacts with neither) and insert or merge. Must run inside a transaction of the tenant.
 * <p>
 * Merge rule: a matched contact keeps its values where the row is empty; the row's name, email and custom
 * fields replace the rest; tags and numbers are added.
 */
@Component
class StagedMerge {

	private static final String STAGE = """
			create temp table if not exists contact_import_stage (
			  row_no int, name text, email text, c1 text, c2 text, c3 text, c4 text, c5 text,
			  tags text[], phones text[], raws text[], contact_id uuid, is_new boolean
			) on commit delete rows""";

	private static final List<String> MERGE = List.of("""
			update contact_import_stage s set contact_id = m.contact_id
			from (select distinct on (x.row_no) x.row_no, p.contact_id
			        from (select s2.row_no, u.e164 from contact_import_stage s2 cross join lateral unnest(s2.phones) u(e164)) x
			        join contact_phones p on p.tenant_id = :tenant and p.e164 = x.e164
			       order by x.row_no, p.contact_id) m
			where m.row_no = s.row_no""", """
			update contact_import_stage s set contact_id = m.id
			from (select distinct on (s2.row_no) s2.row_no, c.id
			        from contact_import_stage s2 join contacts c on c.tenant_id = :tenant and c.email_key = lower(s2.email)
			       where s2.contact_id is null and s2.email is not null
			       order by s2.row_no, c.created_at, c.id) m
			where m.row_no = s.row_no""", """
			update contact_import_stage s set contact_id = m.id
			from (select distinct on (s2.row_no) s2.row_no, c.id
			        from contact_import_stage s2 join contacts c on c.tenant_id = :tenant and c.name_key = lower(s2.name) and c.email is null
			       where s2.contact_id is null and s2.email is null and cardinality(s2.phones) = 0
			         and not exists (select 1 from contact_phones p where p.contact_id = c.id)
			       order by s2.row_no, c.created_at, c.id) m
			where m.row_no = s.row_no""", """
			update contact_import_stage set contact_id = gen_random_uuid(), is_new = true where contact_id is null""", """
			insert into contacts (id, tenant_id, name, email, custom1, custom2, custom3, custom4, custom5, tags,
			                      created_at, updated_at, version)
			select contact_id, :tenant, name, email, c1, c2, c3, c4, c5, tags, now(), now(), 0
			  from contact_import_stage where is_new""", """
			update contacts c set name = s.name, email = coalesce(s.email, c.email),
			       custom1 = coalesce(s.c1, c.custom1), custom2 = coalesce(s.c2, c.custom2),
			       custom3 = coalesce(s.c3, c.custom3), custom4 = coalesce(s.c4, c.custom4),
			       custom5 = coalesce(s.c5, c.custom5),
			       tags = array(select distinct t from unnest(c.tags || s.tags) t order by t),
			       updated_at = now(), version = c.version + 1
			  from contact_import_stage s
			 where s.is_new is not true and c.id = s.contact_id and c.tenant_id = :tenant
			   and (c.name, c.email, c.custom1, c.custom2, c.custom3, c.custom4, c.custom5, c.tags)
			       is distinct from (s.name, coalesce(s.email, c.email), coalesce(s.c1, c.custom1), coalesce(s.c2, c.custom2),
			                         coalesce(s.c3, c.custom3), coalesce(s.c4, c.custom4), coalesce(s.c5, c.custom5),
			                         array(select distinct t from unnest(c.tags || s.tags) t order by t))""", """
			insert into contact_phones (id, tenant_id, contact_id, position, e164, raw)
			select gen_random_uuid(), :tenant, s.contact_id,
			       case when s.is_new then (u.ord - 1)::int
			            else coalesce((select max(p.position) + 1 from contact_phones p where p.contact_id = s.contact_id), 0)
			                 + (u.ord - 1)::int end,
			       u.e164, u.raw
			  from contact_import_stage s cross join lateral unnest(s.phones, s.raws) with ordinality as u(e164, raw, ord)
			on conflict (tenant_id, e164) do nothing""");

	/**
	 * PostgreSQL's {@code copy … (format csv)}: an unquoted empty value is NULL and a quoted one an empty string, so
	 * every value but a missing one is quoted.
	 */
	private static final CSVFormat COPY = CSVFormat.RFC4180.builder()
		.setQuoteMode(QuoteMode.ALL_NON_NULL)
		.setRecordSeparator('\n')
		.get();

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	StagedMerge(DataSource dataSource, JdbcClient jdbc) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
	}

	void store(TenantId tenant, List<ImportRows.ValidRow> rows) {
		if (rows.isEmpty()) {
			return;
		}
		jdbc.sql(STAGE).update();
		var copy = new StringBuilder(rows.size() * 120);
		try (var printer = new CSVPrinter(copy, COPY)) {
			for (var row : rows) {
				var values = new ArrayList<@Nullable Object>();
				values.add(row.number());
				values.add(row.name());
				values.add(row.email());
				values.addAll(Arrays.asList(row.custom()));
				values.add(array(row.tags()));
				values.add(array(row.e164()));
				values.add(array(row.raw()));
				printer.printRecord(values);
			}
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		var connection = DataSourceUtils.getConnection(dataSource);
		try {
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("copy contact_import_stage (row_no, name, email, c1, c2, c3, c4, c5, tags, phones, raws) "
						+ "from stdin with (format csv)", new StringReader(copy.toString()));
		}
		catch (SQLException | java.io.IOException e) {
			throw new IllegalStateException("Could not stage " + rows.size() + " imported rows", e);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
		jdbc.sql("analyze contact_import_stage").update();
		for (var statement : MERGE) {
			jdbc.sql(statement).param("tenant", tenant.value()).update();
		}
	}

	private static String array(List<String> values) {
		var out = new StringBuilder("{");
		for (var value : values) {
			if (out.length() > 1) {
				out.append(',');
			}
			out.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
		}
		return out.append('}').toString();
	}
}

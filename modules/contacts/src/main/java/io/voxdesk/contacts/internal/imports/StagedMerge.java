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

	private static final List<String> STAGE = List.of("""
			create temp table if not exists contact_import_stage (
			  row_no int, name text, email text, c1 text, c2 text, c3 text, c4 text, c5 text,
			  tags text[], phone_count int, new_id uuid, contact_id uuid,
			  email_key text generated always as (lower(email)) stored,
			  name_key text generated always as (lower(name)) stored
			) on commit delete rows""", """
			create temp table if not exists contact_import_phones (
			  row_no int, ord int, e164 text, raw text, id uuid, owner uuid
			) on commit delete rows""");

	/*
	 * Each staged number or row looks its match up through an index, in a subquery of its own: a join would let the
	 * planner hash the tenant's whole contact or phone table once per batch (a million rows for a big tenant, and it
	 * cannot tell how big a tenant is until its statistics are refreshed). For the same reason the tenant is a value
	 * the planner cannot see, (select :tenant): for a tenant its statistics call empty (a new one, growing with this
	 * very import) it would otherwise walk the tenant's rows through any index that starts with the tenant, once per
	 * row. The keys are compared as stored columns: under row-level security a comparison with lower(...) in it may
	 * not reach the index. Numbers are staged one per line, so each is one equality look-up.
	 */
	private static final List<String> MERGE = List.of("""
			update contact_import_phones sp set owner = x.contact_id
			from (select sp2.row_no, sp2.ord,
			             (select p.contact_id from contact_phones p
			               where p.tenant_id = (select :tenant) and p.e164 = sp2.e164) as contact_id
			        from contact_import_phones sp2) x
			where x.contact_id is not null and x.row_no = sp.row_no and x.ord = sp.ord""", """
			update contact_import_stage s set contact_id = m.owner
			from (select distinct on (row_no) row_no, owner from contact_import_phones
			       where owner is not null order by row_no, owner) m
			where m.row_no = s.row_no""", """
			update contact_import_stage s set contact_id = m.id
			from (select s2.row_no,
			             (select c.id from contacts c where c.tenant_id = (select :tenant) and c.email_key = s2.email_key
			               order by c.created_at, c.id limit 1) as id
			        from contact_import_stage s2 where s2.contact_id is null and s2.email_key is not null) m
			where m.row_no = s.row_no and m.id is not null""", """
			update contact_import_stage s set contact_id = m.id
			from (select s2.row_no,
			             (select c.id from contacts c
			               where c.tenant_id = (select :tenant) and c.name_key = s2.name_key and c.email is null
			                 and not exists (select 1 from contact_phones p where p.contact_id = c.id)
			               order by c.created_at, c.id limit 1) as id
			        from contact_import_stage s2
			       where s2.contact_id is null and s2.email is null and s2.phone_count = 0) m
			where m.row_no = s.row_no and m.id is not null""", """
			insert into contacts (id, tenant_id, name, email, custom1, custom2, custom3, custom4, custom5, tags,
			                      created_at, updated_at, version)
			select new_id, :tenant, name, email, c1, c2, c3, c4, c5, tags, now(), now(), 0
			  from contact_import_stage where contact_id is null""", """
			update contacts c set name = s.name, email = coalesce(s.email, c.email),
			       custom1 = coalesce(s.c1, c.custom1), custom2 = coalesce(s.c2, c.custom2),
			       custom3 = coalesce(s.c3, c.custom3), custom4 = coalesce(s.c4, c.custom4),
			       custom5 = coalesce(s.c5, c.custom5),
			       tags = array(select distinct t from unnest(c.tags || s.tags) t order by t),
			       updated_at = now(), version = c.version + 1
			  from contact_import_stage s
			 where c.id = s.contact_id and c.tenant_id = :tenant
			   and (c.name, c.email, c.custom1, c.custom2, c.custom3, c.custom4, c.custom5, c.tags)
			       is distinct from (s.name, coalesce(s.email, c.email), coalesce(s.c1, c.custom1), coalesce(s.c2, c.custom2),
			                         coalesce(s.c3, c.custom3), coalesce(s.c4, c.custom4), coalesce(s.c5, c.custom5),
			                         array(select distinct t from unnest(c.tags || s.tags) t order by t))""", """
			insert into contact_phones (id, tenant_id, contact_id, position, e164, raw)
			select sp.id, :tenant, coalesce(s.contact_id, s.new_id),
			       case when s.contact_id is null then sp.ord
			            else coalesce((select max(p.position) + 1 from contact_phones p where p.contact_id = s.contact_id), 0)
			                 + sp.ord end,
			       sp.e164, sp.raw
			  from contact_import_phones sp join contact_import_stage s on s.row_no = sp.row_no
			 where sp.owner is null""");

	/**
	 * Numbers that another transaction stored since the look-up (an agent saving a contact during the import) make the
	 * plain insert fail; the batch is then stored again from the look-up, which now finds them, with this insert, which
	 * also leaves alone any stored in the few milliseconds after that.
	 */
	private static final String CAREFUL_PHONES = MERGE.getLast() + " on conflict (tenant_id, e164) do nothing";

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

	/**
	 * A batch of rows as {@code COPY} reads them (the rows, and their numbers one per line): built on the thread that
	 * checks the rows, not the one storing them.
	 */
	record Staged(int rows, String copy, String phones) {
	}

	static Staged staged(List<ImportRows.ValidRow> rows, TimeOrderedIds ids) {
		var copy = new StringBuilder(rows.size() * 160);
		var phones = new StringBuilder(rows.size() * 48);
		try (var printer = new CSVPrinter(copy, COPY); var numbers = new CSVPrinter(phones, COPY)) {
			for (var row : rows) {
				var values = new ArrayList<@Nullable Object>();
				values.add(row.number());
				values.add(row.name());
				values.add(row.email());
				values.addAll(Arrays.asList(row.custom()));
				values.add(array(row.tags()));
				values.add(row.e164().size());
				// The id the row's contact gets if it matches none: drawn here, so storing the batch updates no staged row.
				values.add(ids.next());
				printer.printRecord(values);
				for (var i = 0; i < row.e164().size(); i++) {
					numbers.printRecord(row.number(), i, row.e164().get(i), row.raw().get(i), ids.next());
				}
			}
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		return new Staged(rows.size(), copy.toString(), phones.toString());
	}

	/** Stores the batch; {@code careful} after a first attempt failed on a number stored meanwhile. */
	void store(TenantId tenant, Staged batch, boolean careful) {
		if (batch.rows() == 0) {
			return;
		}
		STAGE.forEach(statement -> jdbc.sql(statement).update());
		var connection = DataSourceUtils.getConnection(dataSource);
		try {
			var copy = connection.unwrap(PGConnection.class).getCopyAPI();
			copy.copyIn("copy contact_import_stage (row_no, name, email, c1, c2, c3, c4, c5, tags, phone_count, new_id) "
					+ "from stdin with (format csv)", new StringReader(batch.copy()));
			copy.copyIn("copy contact_import_phones (row_no, ord, e164, raw, id) from stdin with (format csv)",
					new StringReader(batch.phones()));
		}
		catch (SQLException | java.io.IOException e) {
			throw new IllegalStateException("Could not stage " + batch.rows() + " imported rows", e);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
		jdbc.sql("analyze contact_import_stage, contact_import_phones").update();
		// Statements with nothing to do are skipped: on a big tenant even an empty merge costs a plan over its rows.
		var owned = merge(tenant, MERGE.get(0));
		var matched = owned > 0 ? merge(tenant, MERGE.get(1)) : 0;
		matched += merge(tenant, MERGE.get(2)) + merge(tenant, MERGE.get(3));
		merge(tenant, MERGE.get(4));
		if (matched > 0) {
			merge(tenant, MERGE.get(5));
		}
		merge(tenant, careful ? CAREFUL_PHONES : MERGE.get(6));
	}

	private int merge(TenantId tenant, String statement) {
		return jdbc.sql(statement).param("tenant", tenant.value()).update();
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

package io.voxdesk.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Benchmark, not a test of correctness: searches a tenant of 1,000,000 contacts (next to a second tenant of
 * 200,000) through {@link ContactManagement#search}, as the application role under row-level security, and
 * compares each query's time with the same search with index scans switched off in the same run. Also prints
 * the plan of the search function. Run with {@code ./mvnw -B -Pbench verify -pl test-support,modules/tenants,modules/contacts -Dtest=ContactSearchBenchmark}.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
// The reference searches without indexes take seconds: exactly what the statement timeout stops in production.
@TestPropertySource(properties = "voxdesk.contacts.search-timeout=5m")
class ContactSearchBenchmark {

	static final int CONTACTS = 1_000_000;

	static final int RUNS = 5;

	@Autowired
	ContactManagement contacts;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient jdbc;

	@Test
	void searchOfAMillionContacts() throws Exception {
		var testTenants = new TestTenants(tenants, context);
		var tenant = testTenants.create("big", "Big");
		var neighbour = testTenants.create("nb", "Neighbour");
		var loadStarted = System.nanoTime();
		fill(tenant, CONTACTS, 0);
		fill(neighbour, CONTACTS / 5, CONTACTS);
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("vacuum analyze contacts");
			statement.execute("vacuum analyze contact_phones");
		}
		System.out.printf(Locale.ROOT, "%nBENCHMARK loaded %,d + %,d contacts with phones in %.0f s%n", CONTACTS,
				CONTACTS / 5, (System.nanoTime() - loadStarted) / 1e9);

		// rare name part, common first+last name, email fragment, number fragment, no match
		var queries = List.of("3f9a2c", "Carla Souza", "ana.7e1", "99000123", "zzqx");
		System.out.printf(Locale.ROOT, "BENCHMARK %-14s %8s %12s %12s %8s%n", "query", "matches", "indexed ms",
				"no-index ms", "ratio");
		for (var query : queries) {
			var indexed = new ArrayList<Long>();
			var scanned = new ArrayList<Long>();
			long matches = 0;
			for (var run = 0; run < RUNS; run++) {
				var started = System.nanoTime();
				matches = context.callAs(tenant, () -> contacts.search(query, PageRequest.of(0, 20)).getTotalElements());
				indexed.add(System.nanoTime() - started);
				started = System.nanoTime();
				var withoutIndexes = context.callAs(tenant, () -> transactions.execute(status -> {
					jdbc.sql("set local enable_bitmapscan = off").update();
					jdbc.sql("set local enable_indexscan = off").update();
					return contacts.search(query, PageRequest.of(0, 20)).getTotalElements();
				}));
				scanned.add(System.nanoTime() - started);
				assertThat(withoutIndexes).isEqualTo(matches);
			}
			var indexedMs = median(indexed) / 1e6;
			var scannedMs = median(scanned) / 1e6;
			System.out.printf(Locale.ROOT, "BENCHMARK %-14s %8d %12.1f %12.1f %8.3f%n", query, matches, indexedMs, scannedMs,
					indexedMs / scannedMs);
		}

		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("set app.tenant_id = '" + tenant + "'");
			try (var rows = statement.executeQuery("explain (analyze, costs off) select id from contacts "
					+ "where tenant_id = current_setting('app.tenant_id', true) "
					+ "and (name ilike '%Carla Souza%' escape '!' or email ilike '%Carla Souza%' escape '!') "
					+ "union select contact_id from contact_phones where tenant_id = current_setting('app.tenant_id', true) "
					+ "and e164 like '%99000123%'")) {
				var plan = new StringBuilder();
				while (rows.next()) {
					plan.append("BENCHMARK plan ").append(rows.getString(1)).append('\n');
				}
				System.out.print(plan);
				assertThat(plan.toString()).contains("Bitmap Index Scan on contacts_name_trgm_idx")
					.contains("Bitmap Index Scan on contact_phones_e164_trgm_idx")
					.doesNotContain("Seq Scan");
			}
		}
	}

	/** Contacts named from 20 first and 20 last names plus a hash part, each with one unique mobile number. */
	private static void fill(TenantId tenant, int count, int offset) throws Exception {
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("""
					create temp table gen as
					select gen_random_uuid() as id, i,
					  (array['Ana','Bruno','Carla','Daniel','Eduarda','Felipe','Gabriela','Heitor','Isabela','João',
					         'Karina','Lucas','Mariana','Nicolas','Olivia','Pedro','Rafaela','Samuel','Tatiana','Vitor'])[1 + i %% 20]
					  || ' ' ||
					  (array['Silva','Souza','Oliveira','Santos','Lima','Pereira','Costa','Ferreira','Almeida','Ribeiro',
					         'Carvalho','Gomes','Martins','Araújo','Rocha','Barbosa','Dias','Moreira','Cardoso','Teixeira'])[1 + (i / 20) %% 20]
					  || ' ' || substr(md5(i::text), 1, 6) as name,
					  md5(i::text) as h
					from generate_series(%d, %d) i""".formatted(offset + 1, offset + count));
			statement.execute("""
					insert into contacts (id, tenant_id, name, email, created_at, updated_at, version)
					select id, '%s', name, lower(split_part(name, ' ', 1)) || '.' || substr(h, 7, 6) || '@example.com',
					       now(), now(), 0 from gen""".formatted(tenant));
			statement.execute("""
					insert into contact_phones (id, tenant_id, contact_id, position, e164, raw)
					select gen_random_uuid(), '%s', id, 0, '+55' || (11 + i %% 89) || '9' || lpad(i::text, 8, '0'),
					       lpad(i::text, 8, '0') from gen""".formatted(tenant));
			statement.execute("drop table gen");
		}
	}

	private static long median(List<Long> values) {
		var sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}
}

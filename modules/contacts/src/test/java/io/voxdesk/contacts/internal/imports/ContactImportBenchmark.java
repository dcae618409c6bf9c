package io.voxdesk.contacts.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Benchmark, not a test of correctness: imports 100,000 CSV rows and compares the rate with PostgreSQL's
 * {@code COPY} of the same rows into a plain table, measured in the same run (median of three each).
 * Run with {@code ./mvnw -B -Pbench verify -pl modules/contacts -am}.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class ContactImportBenchmark {

	static final int ROWS = 100_000;

	static final int RUNS = 3;

	@Autowired
	ContactImports imports;

	@Autowired
	ContactImportJob job;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void importRateAgainstCopy() throws Exception {
		var csv = csv();
		var bytes = csv.getBytes(StandardCharsets.UTF_8);
		var copyTimes = new ArrayList<Long>();
		var indexedCopyTimes = new ArrayList<Long>();
		var importTimes = new ArrayList<Long>();
		for (var run = 0; run < RUNS; run++) {
			copyTimes.add(copy(csv));
			indexedCopyTimes.add(indexedCopy(csv));
			importTimes.add(importOnce(bytes));
		}
		var indexedRate = ROWS * 1e9 / median(indexedCopyTimes);
		var copyMedian = median(copyTimes);
		var importMedian = median(importTimes);
		var copyRate = ROWS * 1e9 / copyMedian;
		var importRate = ROWS * 1e9 / importMedian;
		System.out.printf(Locale.ROOT, "%nBENCHMARK contact import of %,d rows (median of %d): import %.0f rows/s (%.2f s), "
				+ "COPY %.0f rows/s (%.2f s), ratio %.3f; COPY into tables indexed like contacts %.0f rows/s, ratio %.3f%n"
				+ "  import runs (ms): %s%n  COPY runs (ms): %s%n  indexed COPY runs (ms): %s%n", ROWS, RUNS,
				importRate, importMedian / 1e9, copyRate, copyMedian / 1e9, importRate / copyRate, indexedRate,
				importRate / indexedRate, importTimes.stream().map(t -> t / 1_000_000).toList(),
				copyTimes.stream().map(t -> t / 1_000_000).toList(),
				indexedCopyTimes.stream().map(t -> t / 1_000_000).toList());
		assertThat(importRate).isPositive();
	}

	/**
	 * Issue 18, point 10: 100,000 new rows into a tenant that already has a million contacts (each with a number),
	 * against the same rows into a new tenant, and against the indexed {@code COPY} reference both into empty tables
	 * and into tables already holding a million rows. Every run adds its rows (other numbers each run), so the big
	 * tenant and the big reference grow alike.
	 */
	@Test
	void importIntoATenantWithAMillionContacts() throws Exception {
		var existing = Integer.getInteger("voxdesk.bench.existing-contacts", 1_000_000);
		var big = new TestTenants(tenants, context).create("bench-big", "Benchmark at scale");
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("drop table if exists big_contacts, big_phones, rbig_contacts, rbig_phones");
			createIndexedTables(statement, "big_contacts", "big_phones");
			createIndexedTables(statement, "rbig_contacts", "rbig_phones");
			var filling = System.nanoTime();
			fill(statement, "contacts", "contact_phones", big.value(), existing);
			fill(statement, "big_contacts", "big_phones", "bench", existing);
			fill(statement, "rbig_contacts", "rbig_phones", "bench", existing);
			// What autovacuum does for a tenant that grew to this size (the application role may not ANALYZE).
			statement.execute("analyze contacts, contact_phones, big_contacts, big_phones, rbig_contacts, rbig_phones");
			System.out.printf(Locale.ROOT, "%nBENCHMARK filled a tenant and the reference tables with %,d contacts and "
					+ "numbers each in %.0f s%n", existing, (System.nanoTime() - filling) / 1e9);
			var emptyReference = new ArrayList<Long>();
			var bigReference = new ArrayList<Long>();
			var randomBigReference = new ArrayList<Long>();
			var emptyImport = new ArrayList<Long>();
			var bigImport = new ArrayList<Long>();
			for (var run = 0; run < RUNS; run++) {
				var csv = csv(12 + run);
				var bytes = csv.getBytes(StandardCharsets.UTF_8);
				emptyReference.add(indexedCopy(csv, TIME_ORDERED_IDS));
				bigReference.add(indexedCopy(owner, csv, "big_contacts", "big_phones", TIME_ORDERED_IDS));
				randomBigReference.add(indexedCopy(owner, csv, "rbig_contacts", "rbig_phones", RANDOM_IDS));
				emptyImport.add(importOnce(bytes));
				bigImport.add(importOnce(big, bytes));
			}
			var rate = (java.util.function.ToDoubleFunction<List<Long>>) times -> ROWS * 1e9 / median(times);
			System.out.printf(Locale.ROOT, "BENCHMARK contact import of %,d new rows (median of %d): into a tenant with "
					+ "%,d contacts %.0f rows/s, into a new tenant %.0f rows/s (ratio %.2f); indexed COPY with the "
					+ "import's time-ordered ids into tables holding %,d rows %.0f rows/s (ratio %.2f), into empty ones "
					+ "%.0f rows/s (ratio %.2f); with random ids into tables holding %,d rows %.0f rows/s (ratio %.2f)%n"
					+ "  big tenant runs (ms): %s%n  new tenant runs (ms): %s%n  indexed COPY, big (ms): %s%n"
					+ "  indexed COPY, empty (ms): %s%n  indexed COPY, random ids, big (ms): %s%n", ROWS, RUNS, existing,
					rate.applyAsDouble(bigImport), rate.applyAsDouble(emptyImport),
					rate.applyAsDouble(bigImport) / rate.applyAsDouble(emptyImport), existing,
					rate.applyAsDouble(bigReference), rate.applyAsDouble(bigImport) / rate.applyAsDouble(bigReference),
					rate.applyAsDouble(emptyReference), rate.applyAsDouble(bigImport) / rate.applyAsDouble(emptyReference),
					existing, rate.applyAsDouble(randomBigReference),
					rate.applyAsDouble(bigImport) / rate.applyAsDouble(randomBigReference), millis(bigImport),
					millis(emptyImport), millis(bigReference), millis(emptyReference), millis(randomBigReference));
			statement.execute("drop table big_contacts, big_phones, rbig_contacts, rbig_phones");
			statement.execute("delete from contacts where tenant_id = '" + big.value() + "'");
		}
	}

	/** {@code count} contacts of {@code tenant}, each with one number of area code 21, as an owner's bulk insert. */
	private static void fill(java.sql.Statement statement, String contacts, String phones, String tenant, int count)
			throws java.sql.SQLException {
		statement.execute("insert into " + contacts + " (id, tenant_id, name, email, custom1, tags, created_at, "
				+ "updated_at, version) select gen_random_uuid(), '" + tenant + "', 'Existing ' || g, 'existing' || g "
				+ "|| '@example.com', 'segment ' || (g % 7), '{existing,lead}', now(), now(), 0 "
				+ "from generate_series(1, " + count + ") g");
		statement.execute("insert into " + phones + " (id, tenant_id, contact_id, position, e164, raw) "
				+ "select gen_random_uuid(), tenant_id, id, 0, '+55219' || lpad(n::text, 8, '0'), '(21) 9' || n "
				+ "from (select id, tenant_id, row_number() over () as n from " + contacts + " where tenant_id = '"
				+ tenant + "') c");
	}

	private static List<Long> millis(List<Long> nanos) {
		return nanos.stream().map(t -> t / 1_000_000).toList();
	}

	private long importOnce(byte[] bytes) {
		return importOnce(new TestTenants(tenants, context).create("bench", "Benchmark"), bytes);
	}

	private long importOnce(TenantId tenant, byte[] bytes) {
		var id = UUID.randomUUID();
		var started = System.nanoTime();
		context.runAs(tenant, () -> {
			transactions.executeWithoutResult(status -> imports.create(id, tenant, "bench.csv", bytes,
					"name=name;phone=phone;email=email;custom1=custom1;tags=tags", ROWS, "bench", Instant.now()));
			job.run(tenant, id);
		});
		var elapsed = System.nanoTime() - started;
		var state = context.callAs(tenant, () -> imports.find(id).orElseThrow());
		assertThat(state.status()).isEqualTo("COMPLETED");
		assertThat(state.rowsImported()).isEqualTo(ROWS);
		return elapsed;
	}

	private static long copy(String csv) throws Exception {
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("drop table if exists bench_copy");
			statement.execute("create table bench_copy (name text, phone text, email text, custom1 text, tags text)");
			var started = System.nanoTime();
			owner.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("copy bench_copy from stdin with (format csv, header true)", new StringReader(csv));
			var elapsed = System.nanoTime() - started;
			statement.execute("drop table bench_copy");
			return elapsed;
		}
	}

	/**
	 * A second reference: the same rows copied into tables shaped and indexed like {@code contacts} and
	 * {@code contact_phones} (trigram GIN indexes included), which is what any import has to maintain.
	 */
	private static long indexedCopy(String csv) throws Exception {
		return indexedCopy(csv, RANDOM_IDS);
	}

	/** Ids as {@code gen_random_uuid()} draws them (version 4). */
	static final String RANDOM_IDS = "gen_random_uuid()";

	/**
	 * Ids of version 7, as the import draws them ({@code TimeOrderedIds}): PostgreSQL 15 has no function for them,
	 * so a random id gets the milliseconds in front and the version bits.
	 */
	static final String TIME_ORDERED_IDS = "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
			+ "substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), "
			+ "53, 1), 'hex')::uuid";

	private static long indexedCopy(String csv, String ids) throws Exception {
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("drop table if exists bench_contacts, bench_phones");
			createIndexedTables(statement, "bench_contacts", "bench_phones");
			var elapsed = indexedCopy(owner, csv, "bench_contacts", "bench_phones", ids);
			statement.execute("drop table bench_contacts, bench_phones");
			return elapsed;
		}
	}

	private static void createIndexedTables(java.sql.Statement statement, String contacts, String phones)
			throws java.sql.SQLException {
		statement.execute("create table " + contacts + " (like contacts including defaults including indexes "
				+ "including generated)");
		statement.execute("create table " + phones + " (like contact_phones including defaults including indexes)");
	}

	/** The indexed reference into tables that exist already (empty, or holding a big tenant's rows). */
	private static long indexedCopy(java.sql.Connection owner, String csv, String contacts, String phones, String ids)
			throws Exception {
		try (var statement = owner.createStatement()) {
			statement.execute("drop table if exists bench_raw, bench_ids");
			statement.execute("create temp table bench_raw (name text, phone text, email text, custom1 text, tags text)");
			var started = System.nanoTime();
			owner.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("copy bench_raw from stdin with (format csv, header true)", new StringReader(csv));
			statement.execute("create temp table bench_ids as select " + ids + " as id, r.* from bench_raw r");
			statement.execute("insert into " + contacts + " (id, tenant_id, name, email, custom1, tags, created_at, "
					+ "updated_at, version) select id, 'bench', name, email, custom1, string_to_array(tags, '|'), now(), "
					+ "now(), 0 from bench_ids");
			statement.execute("insert into " + phones + " (id, tenant_id, contact_id, position, e164, raw) "
					+ "select " + ids + ", 'bench', id, 0, '+55' || regexp_replace(phone, '\\D', '', 'g'), phone "
					+ "from bench_ids");
			var elapsed = System.nanoTime() - started;
			statement.execute("drop table bench_raw, bench_ids");
			return elapsed;
		}
	}

	private static String csv() {
		return csv(11);
	}

	/** {@link #ROWS} new people with mobile numbers of area code {@code area} (11 to 19: no two files share a number). */
	private static String csv(int area) {
		var out = new StringBuilder("name,phone,email,custom1,tags\n");
		for (var i = 0; i < ROWS; i++) {
			out.append("Person ").append(area).append('-').append(i).append(",(").append(area).append(") 9")
				.append(String.format(Locale.ROOT, "%04d-%04d", 1000 + i / 10_000, i % 10_000))
				.append(",person").append(area).append('-').append(i).append("@example.com,segment ").append(i % 7).append(",lead|bench\n");
		}
		return out.toString();
	}

	private static long median(List<Long> values) {
		var sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}
}

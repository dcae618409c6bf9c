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

	private long importOnce(byte[] bytes) {
		var tenant = new TestTenants(tenants, context).create("bench", "Benchmark");
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
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("drop table if exists bench_contacts, bench_phones");
			statement.execute("create table bench_contacts (like contacts including defaults including indexes "
					+ "including generated)");
			statement.execute("create table bench_phones (like contact_phones including defaults including indexes)");
			statement.execute("create temp table bench_raw (name text, phone text, email text, custom1 text, tags text)");
			var started = System.nanoTime();
			owner.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("copy bench_raw from stdin with (format csv, header true)", new StringReader(csv));
			statement.execute("create temp table bench_ids as select gen_random_uuid() as id, r.* from bench_raw r");
			statement.execute("insert into bench_contacts (id, tenant_id, name, email, custom1, tags, created_at, "
					+ "updated_at, version) select id, 'bench', name, email, custom1, string_to_array(tags, '|'), now(), "
					+ "now(), 0 from bench_ids");
			statement.execute("insert into bench_phones (id, tenant_id, contact_id, position, e164, raw) "
					+ "select gen_random_uuid(), 'bench', id, 0, '+5511' || regexp_replace(phone, '\\D', '', 'g'), phone "
					+ "from bench_ids");
			var elapsed = System.nanoTime() - started;
			statement.execute("drop table bench_contacts, bench_phones, bench_raw, bench_ids");
			return elapsed;
		}
	}

	private static String csv() {
		var out = new StringBuilder("name,phone,email,custom1,tags\n");
		for (var i = 0; i < ROWS; i++) {
			out.append("Person ").append(i).append(",(11) 9")
				.append(String.format(Locale.ROOT, "%04d-%04d", 1000 + i / 10_000, i % 10_000))
				.append(",person").append(i).append("@example.com,segment ").append(i % 7).append(",lead|bench\n");
		}
		return out.toString();
	}

	private static long median(List<Long> values) {
		var sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Issue 18, point 8: {@code scripts/backup.sh} and {@code scripts/restore.sh}, as {@code docs/operations.md} tells an
 * operator to run them. A backup of the running test database and its recordings, restored into another database
 * and empty folders, serves the same contact, the same decrypted SIP password (under the same master key) and the
 * same recording bytes from an instance started on it; a damaged backup and a target that is not empty are
 * refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class BackupRestoreTests {

	@LocalServerPort
	int port;

	@Autowired
	CallReports reports;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	Environment environment;

	@TempDir
	Path work;

	@Test
	void aBackupRestoredIntoANewDatabaseServesTheSameContactSecretAndRecording() throws Exception {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		var contact = api.post("acme-admin", "/api/contacts",
				"{\"name\": \"Restored Customer\", \"phones\": [{\"number\": \"+55 48 9%s\"}]}"
					.formatted(VoxdeskApi.freshSubscriberDigits()));
		assertThat(contact.status()).as(contact.body()).isEqualTo(201);
		var contactId = contact.json().path("id").asString();
		var sipPassword = "restore-" + UUID.randomUUID();
		var extension = api.put("acme-agent", "/api/me/extension",
				ExtensionApiTests.extension("1001", sipPassword, "Artur (Acme)", true));
		assertThat(extension.status()).as(extension.body()).isEqualTo(200);
		var audio = new byte[48_000];
		new java.util.Random(7).nextBytes(audio);
		var call = recordedCall(TenantId.of("acme"), audio);

		var database = TestDatabase.get();
		var backup = work.resolve("backup");
		var made = run(script("backup.sh", backup.toString()), pg(database.url(), database), files(
				environment.resolvePlaceholders("${voxdesk.calls.recordings-dir:${java.io.tmpdir}/voxdesk-recordings}"),
				environment.resolvePlaceholders("${voxdesk.audio.dir:${java.io.tmpdir}/voxdesk-audio}")));
		assertThat(made.exit()).as(made.output()).isZero();
		assertThat(Files.readString(backup.resolve("MANIFEST"))).contains("schema_changeset=");

		var target = database.scratch("restore");
		var recordings = work.resolve("restored-recordings");
		var library = work.resolve("restored-audio");
		var restoreFiles = files(recordings.toString(), library.toString());

		// A damaged copy is refused before anything is written.
		var damaged = work.resolve("damaged");
		copy(backup, damaged);
		var dump = Files.readAllBytes(damaged.resolve("database.dump"));
		dump[dump.length / 2] ^= 1;
		Files.write(damaged.resolve("database.dump"), dump);
		var refused = run(script("restore.sh", damaged.toString()), pg(target, database), restoreFiles);
		assertThat(refused.exit()).isNotZero();
		assertThat(refused.output()).contains("damaged");

		var restored = run(script("restore.sh", backup.toString()), pg(target, database), restoreFiles);
		assertThat(restored.exit()).as(restored.output()).isZero();

		// Restoring again over it would overwrite live data: refused, nothing changed.
		var again = run(script("restore.sh", backup.toString()), pg(target, database), restoreFiles);
		assertThat(again.exit()).isNotZero();
		assertThat(again.output()).contains("not empty");

		var restoredPort = ApplicationProcess.freePort();
		var settings = new HashMap<String, Object>();
		settings.put("spring.datasource.url", target);
		settings.put("spring.liquibase.url", target);
		settings.put("voxdesk.calls.recordings-dir", recordings);
		settings.put("voxdesk.audio.dir", library);
		var instance = ApplicationProcess.launch("restored", restoredPort, settings);
		try {
			var there = new VoxdeskApi(restoredPort);
			var found = there.get("acme-admin", "/api/contacts/" + contactId);
			assertThat(found.status()).as(found.body()).isEqualTo(200);
			assertThat(found.json().path("name").asString()).isEqualTo("Restored Customer");
			var webphone = RestClient.create("http://127.0.0.1:" + restoredPort)
				.get()
				.uri("/api/me/webphone")
				.header("Authorization", "Bearer " + KeycloakTestServer.accessToken("acme-agent"))
				.retrieve()
				.body(String.class);
			assertThat(webphone).as("the SIP password decrypts under the same master key").contains(sipPassword);
			var recording = there.getBytes("acme-admin", "/api/calls/" + call.value() + "/recording", null);
			assertThat(recording.status()).isEqualTo(200);
			assertThat(recording.body()).isEqualTo(audio);

			// The restore is a database of its own: what is written there does not reach the original.
			var onlyThere = there.post("acme-admin", "/api/contacts", "{\"name\": \"Only In The Restore\"}");
			assertThat(onlyThere.status()).as(onlyThere.body()).isEqualTo(201);
			assertThat(api.get("acme-admin", "/api/contacts/" + onlyThere.json().path("id").asString()).status())
				.isEqualTo(404);
		}
		finally {
			ApplicationProcess.stop(instance);
		}
	}

	private CallId recordedCall(TenantId tenant, byte[] audio) throws IOException {
		var id = CallId.random();
		var at = Timestamp.from(Instant.now());
		context.runAs(tenant, () -> transactions.executeWithoutResult(tx -> jdbc.sql("""
				insert into calls (id, tenant_id, direction, status, connection_id, provider_kind, agent_id, agent_name,
				  agent_extension, number, record, requested_at, created_at, updated_at, ended_at, version)
				values (:id, :tenant, 'outbound', 'COMPLETED', :connection, 'asterisk', :agent, 'Artur', '1001',
				  '+554833328530', true, :at, :at, :at, :at, 0)""")
			.param("id", id.value())
			.param("tenant", tenant.value())
			.param("connection", UUID.randomUUID())
			.param("agent", UUID.randomUUID().toString())
			.param("at", at)
			.update()));
		context.callAs(tenant, () -> {
			try {
				reports.attachRecording(id, "wav", new ByteArrayInputStream(audio));
				return null;
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		return id;
	}

	private static String[] script(String name, String argument) {
		var root = Path.of("..").toAbsolutePath().normalize();
		return new String[] { root.resolve("scripts").resolve(name).toString(), argument };
	}

	/** libpq's variables for {@code url}, as the owner role, as the scripts' usage asks. */
	private static Map<String, String> pg(String url, TestDatabase database) {
		var uri = URI.create(url.substring("jdbc:".length()));
		return Map.of("PGHOST", uri.getHost(), "PGPORT", String.valueOf(uri.getPort()), "PGDATABASE",
				uri.getPath().substring(1), "PGUSER", database.ownerUser(), "PGPASSWORD", database.ownerPassword());
	}

	private static Map<String, String> files(String recordings, String audio) {
		return Map.of("VOXDESK_CALLS_RECORDINGSDIR", recordings, "VOXDESK_AUDIO_DIR", audio);
	}

	private static void copy(Path from, Path to) throws IOException {
		Files.createDirectories(to);
		try (var files = Files.list(from)) {
			for (var file : files.toList()) {
				Files.copy(file, to.resolve(file.getFileName()));
			}
		}
	}

	record Ran(int exit, String output) {
	}

	@SafeVarargs
	private static Ran run(String[] command, Map<String, String>... environment) throws Exception {
		var builder = new ProcessBuilder(command).redirectErrorStream(true);
		for (var variables : environment) {
			builder.environment().putAll(variables);
		}
		var process = builder.start();
		var output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
		return new Ran(process.exitValue(), output);
	}
}

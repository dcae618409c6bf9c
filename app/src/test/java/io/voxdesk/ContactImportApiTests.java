package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.testing.TestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.LinkedMultiValueMap;

/** CSV import over real HTTP: upload, progress, error report, template, refusals, isolation. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ContactImportApiTests {

	@LocalServerPort
	int port;

	@Autowired
	ContactManagement contacts;

	@Autowired
	TenantContext context;

	@Autowired
	TransactionTemplate transactions;

	VoxdeskApi api;

	@BeforeEach
	void demoTenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
	}

	@Test
	void aTenantAdminUploadsFollowsProgressAndDownloadsTheErrorReport() {
		var file = "name,phone\nCarlos Import,(31) 98888-7777\n,(31) 3333-2222\n";

		var accepted = upload("acme-admin", file.getBytes(StandardCharsets.UTF_8), "");
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		var location = "/api/contacts/imports/" + accepted.json().path("id").asString();

		await().atMost(Duration.ofSeconds(20))
			.until(() -> api.get("acme-admin", location).json().path("status").asString(), "COMPLETED"::equals);
		var done = api.get("acme-admin", location).json();
		assertThat(done.path("rowsImported").asInt()).isEqualTo(1);
		assertThat(done.path("rowsRejected").asInt()).isEqualTo(1);
		assertThat(done.path("percent").asInt()).isEqualTo(100);

		var report = api.get("acme-admin", location + "/errors");
		assertThat(report.contentType()).startsWith("text/csv");
		assertThat(report.body()).isEqualTo("row,column,reason\n3,name,the name is empty\n");
		assertThat(api.get("acme-agent", "/api/contacts/lookup?phone=(31) 98888-7777").json().path("name").asString())
			.isEqualTo("Carlos Import");

		assertThat(api.get("globex-admin", location).status()).as("another tenant's import").isEqualTo(404);
		assertThat(api.get("globex-admin", location + "/errors").status()).isEqualTo(404);
	}

	@Test
	void theTemplateIsDownloadableAndImportsCleanly() {
		var template = api.get("acme-admin", "/api/contacts/imports/template.csv");
		assertThat(template.status()).isEqualTo(200);
		assertThat(template.body()).startsWith("name,phone,email,custom1");
	}

	@Test
	void unusableFilesAreRefusedWithProblems() {
		var headerOnly = upload("acme-admin", "name,phone\n".getBytes(StandardCharsets.UTF_8), "");
		assertThat(headerOnly.status()).isEqualTo(400);
		assertThat(headerOnly.isProblem()).isTrue();
		assertThat(headerOnly.detail()).isEqualTo("The file has a header but no data rows.");

		var noName = upload("acme-admin", "phone\n(48) 3332-8530\n".getBytes(StandardCharsets.UTF_8), "");
		assertThat(noName.status()).isEqualTo(400);
		assertThat(noName.detail()).contains("No column holds the contact's name");

		var huge = new byte[21 * 1024 * 1024];
		java.util.Arrays.fill(huge, (byte) 'a');
		var tooLarge = upload("acme-admin", huge, "");
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.detail()).contains("larger than the 20 MB");
	}

	@Test
	void onlyTenantAdminsImport() {
		var agent = upload("acme-agent", "name\nX\n".getBytes(StandardCharsets.UTF_8), "");
		assertThat(agent.status()).isEqualTo(403);
		assertThat(api.get("acme-agent", "/api/contacts/imports").status()).isEqualTo(403);
	}

	@Test
	void theErrorReportNeutralisesFormulasWhileTheContactKeepsWhatWasTyped() {
		var file = "name,phone,=2+5\n"
				+ "=1+2,(31) 97777-6661,x\n"
				+ "@SUM(A1),(31) 97777-6662,y\n"
				+ "-2+3,(31) 97777-6663,z\n"
				+ "\"+cmd|' /C calc'!A0\",(31) 97777-6664,w\n"
				+ "Long,(31) 97777-6665," + "v".repeat(501) + "\n";

		var accepted = upload("acme-admin", file.getBytes(StandardCharsets.UTF_8), "=2+5=custom1");
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		var location = "/api/contacts/imports/" + accepted.json().path("id").asString();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> api.get("acme-admin", location).json().path("status").asString(), "COMPLETED"::equals);

		assertThat(api.get("acme-agent", "/api/contacts/lookup?phone=(31) 97777-6661").json().path("name").asString())
			.isEqualTo("=1+2");
		assertThat(api.get("acme-agent", "/api/contacts/lookup?phone=(31) 97777-6664").json().path("name").asString())
			.isEqualTo("+cmd|' /C calc'!A0");
		var report = api.get("acme-admin", location + "/errors").body().lines().toList();
		assertThat(report).hasSize(2);
		var cells = report.get(1).split(",", 2);
		assertThat(cells[1]).as("the column name a spreadsheet would otherwise evaluate")
			.isEqualTo("\"'=2+5\",the value is longer than 500 characters");
		for (var line : report) {
			for (var cell : line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
				var unquoted = cell.startsWith("\"") ? cell.substring(1) : cell;
				assertThat(unquoted).as(line).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
					.doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
			}
		}
	}

	/**
	 * PgJDBC writes the values of a failed batch entry into its exception message, and Hibernate logs that
	 * message: a duplicate phone number in a batch would put a contact's numbers (or a connection's secret
	 * ciphertext) into the log.
	 */
	@Test
	void aFailedJdbcBatchLogsNoRowValues(CapturedOutput output) throws Exception {
		var acme = TenantId.of("acme");
		var taken = "+5531966665551";
		var other = "+5531966665552";
		var name = "Batch Failure " + java.util.UUID.randomUUID();
		var before = output.getAll().length();

		var failure = org.assertj.core.api.Assertions.catchThrowable(() -> context.runAs(acme,
				() -> transactions.executeWithoutResult(status -> {
					contacts.create(new ContactDraft(name,
							List.of(new ContactDraft.PhoneDraft(other, null), new ContactDraft.PhoneDraft(taken, null)),
							"batch.failure@example.com", List.of(), List.of()));
					takeNumberBehindTheTransactionsBack(taken);
				})));

		assertThat(failure).as("the second insert of %s fails when the batch is flushed", taken).isNotNull();
		var logged = output.getAll().substring(before);
		assertThat(logged).doesNotContain(taken).doesNotContain(other).doesNotContain("5531966665551")
			.doesNotContain("5531966665552").doesNotContain(name).doesNotContain("batch.failure@example.com");
		assertThat(String.valueOf(failure.getMessage())).contains("batch").doesNotContain(taken).doesNotContain(other);
	}

	private static void takeNumberBehindTheTransactionsBack(String e164) {
		try (var owner = TestDatabase.get().ownerConnection()) {
			var contact = java.util.UUID.randomUUID();
			try (var insert = owner.prepareStatement("insert into contacts (id, tenant_id, name, tags, created_at, updated_at, "
					+ "version) values (?, 'acme', 'Someone else', '{}', now(), now(), 0)")) {
				insert.setObject(1, contact);
				insert.executeUpdate();
			}
			try (var insert = owner.prepareStatement("insert into contact_phones (id, tenant_id, contact_id, position, e164, raw) "
					+ "values (gen_random_uuid(), 'acme', ?, 0, ?, ?)")) {
				insert.setObject(1, contact);
				insert.setString(2, e164);
				insert.setString(3, e164);
				insert.executeUpdate();
			}
		}
		catch (java.sql.SQLException e) {
			throw new IllegalStateException(e);
		}
	}

	private VoxdeskApi.Response upload(String user, byte[] content, String mapping) {
		var parts = new LinkedMultiValueMap<String, Object>();
		var fileHeaders = new HttpHeaders();
		fileHeaders.setContentType(MediaType.parseMediaType("text/csv"));
		parts.add("file", new HttpEntity<>(new ByteArrayResource(content) {

			@Override
			public String getFilename() {
				return "contacts.csv";
			}
		}, fileHeaders));
		parts.add("mapping", mapping);
		return api.postMultipart(user, "/api/contacts/imports", parts);
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

/** CSV import over real HTTP: upload, progress, error report, template, refusals, isolation. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ContactImportApiTests {

	@LocalServerPort
	int port;

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

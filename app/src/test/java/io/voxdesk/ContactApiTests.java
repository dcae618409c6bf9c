package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The contacts REST API over real HTTP with real Keycloak tokens, attacks on isolation included. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ContactApiTests {

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
	void anAgentCreatesReadsEditsFindsAndDeletesAContact() {
		var number = uniqueNumber();
		var created = api.post("acme-agent", "/api/contacts", """
				{"name": "Maria Souza", "phones": [{"number": "%s", "label": "office"}],
				 "email": "maria@example.com", "customFields": ["gold"], "tags": ["vip"]}""".formatted(number.national()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var id = created.json().path("id").asString();
		assertThat(created.json().path("phones").get(0).path("e164").asString()).isEqualTo(number.e164());

		assertThat(api.get("acme-admin", "/api/contacts/" + id).json().path("name").asString()).isEqualTo("Maria Souza");
		assertThat(api.get("acme-agent", "/api/contacts/lookup?phone=" + number.national()).json()
			.path("id").asString()).isEqualTo(id);
		assertThat(api.get("acme-agent", "/api/contacts?q=maria@example").json().path("content").valueStream()
			.map(c -> c.path("id").asString())).contains(id);

		var edited = api.put("acme-agent", "/api/contacts/" + id, """
				{"name": "Maria S. Lima", "phones": [{"number": "%s"}]}""".formatted(number.e164()));
		assertThat(edited.status()).isEqualTo(200);
		assertThat(edited.json().path("name").asString()).isEqualTo("Maria S. Lima");

		assertThat(api.delete("acme-agent", "/api/contacts/" + id).status()).isEqualTo(204);
		assertThat(api.get("acme-agent", "/api/contacts/" + id).status()).isEqualTo(404);
	}

	@Test
	void anInvalidNumberIsAProblemNamingTheFieldAndNothingIsStored() {
		var invalid = api.post("acme-agent", "/api/contacts", """
				{"name": "Nobody", "phones": [{"number": "(48) 3332-8530"}, {"number": "12"}]}""");

		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.isProblem()).isTrue();
		assertThat(invalid.json().path("errors").get(0).path("field").asString()).isEqualTo("phones[1].number");
		assertThat(invalid.detail()).contains("'12' is not a valid phone number");
		assertThat(api.get("acme-agent", "/api/contacts?q=Nobody").json().path("content").size()).isZero();
	}

	@Test
	void badInputIsRefusedWithProblems() {
		var blank = api.post("acme-agent", "/api/contacts", "{\"name\": \"\", \"email\": \"not-an-email\"}");
		assertThat(blank.status()).isEqualTo(400);
		assertThat(blank.json().path("errors").valueStream().map(e -> e.path("field").asString()))
			.containsExactlyInAnyOrder("name", "email");

		var tooMany = api.post("acme-agent", "/api/contacts",
				"{\"name\": \"X\", \"customFields\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}");
		assertThat(tooMany.status()).isEqualTo(400);
		assertThat(tooMany.detail()).contains("customFields");

		var badSort = api.get("acme-agent", "/api/contacts?q=abc&sort=tenantId");
		assertThat(badSort.status()).isEqualTo(400);
		assertThat(badSort.detail()).contains("cannot be sorted by 'tenantId'");

		assertThat(api.get("acme-agent", "/api/contacts/not-a-uuid").status()).isEqualTo(400);
	}

	@Test
	void aNumberTakenByAnotherContactIsAConflict() {
		var number = uniqueNumber();
		var first = api.post("acme-agent", "/api/contacts",
				"{\"name\": \"First\", \"phones\": [{\"number\": \"" + number.e164() + "\"}]}");

		var second = api.post("acme-agent", "/api/contacts",
				"{\"name\": \"Second\", \"phones\": [{\"number\": \"" + number.national() + "\"}]}");

		assertThat(second.status()).isEqualTo(409);
		assertThat(second.json().path("contactId").asString()).isEqualTo(first.json().path("id").asString());
	}

	@Test
	void anotherTenantCannotReadEditDeleteOrLookUpTheContact() {
		var number = uniqueNumber();
		var id = api.post("acme-agent", "/api/contacts",
				"{\"name\": \"Acme Secret\", \"phones\": [{\"number\": \"" + number.e164() + "\"}]}").json().path("id").asString();

		assertThat(api.get("globex-agent", "/api/contacts/" + id).status()).isEqualTo(404);
		assertThat(api.put("globex-agent", "/api/contacts/" + id, "{\"name\": \"Stolen\"}").status()).isEqualTo(404);
		assertThat(api.delete("globex-admin", "/api/contacts/" + id).status()).isEqualTo(404);
		assertThat(api.get("globex-agent", "/api/contacts/lookup?phone=" + number.national()).status())
			.isEqualTo(404);
		assertThat(api.get("globex-agent", "/api/contacts?q=Acme Secret").json().path("content").size()).isZero();
		assertThat(api.get("acme-agent", "/api/contacts/" + id).json().path("name").asString()).isEqualTo("Acme Secret");
	}

	@Test
	void platformAdminsAndTenantlessUsersHaveNoContacts() {
		assertThat(api.get("platform", "/api/contacts").status()).isEqualTo(403);
		assertThat(api.get("nobody", "/api/contacts").status()).isEqualTo(403);
		assertThat(api.get(null, "/api/contacts").status()).isEqualTo(401);
	}

	private static PhoneNumber uniqueNumber() {
		var line = 10_000_000 + (int) (Math.random() * 89_999_999);
		var subscriber = "9" + line;
		return new PhoneNumber("(11) " + subscriber.substring(0, 5) + "-" + subscriber.substring(5), "+5511" + subscriber);
	}

	private record PhoneNumber(String national, String e164) {
	}
}

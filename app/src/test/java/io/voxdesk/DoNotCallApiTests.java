package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.util.LinkedMultiValueMap;

/**
 * The do-not-call list over real HTTP with Keycloak tokens (issue 17, point 8): admins add, import, list and remove;
 * agents only ask about one number; other tenants see nothing; bad input gets a problem naming it; audited.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DoNotCallApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	@BeforeEach
	void tenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
	}

	VoxdeskApi.Response importCsv(String user, String csv) {
		var parts = new LinkedMultiValueMap<String, Object>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(csv.getBytes(StandardCharsets.UTF_8)) {

			@Override
			public String getFilename() {
				return "optouts.csv";
			}
		}));
		return api.postMultipart(user, "/api/do-not-call/import", parts);
	}

	@Test
	void anAdminListsNumbersInAnySpellingImportsACsvAndRemovesThemWithAnAuditTrail() {
		var number = "(47) 3" + VoxdeskApi.freshSubscriberDigits().substring(1);
		var added = api.post("acme-admin", "/api/do-not-call", "{\"number\": \"%s\", \"note\": \"asked\"}".formatted(number));
		assertThat(added.status()).as(added.body()).isEqualTo(201);
		var e164 = added.json().path("number").asString();
		assertThat(e164).startsWith("+5547");
		assertThat(added.json().path("source").asString()).isEqualTo("manual");
		assertThat(added.json().path("addedBy").asString()).isEqualTo("acme-admin");
		assertThat(api.post("acme-admin", "/api/do-not-call", "{\"number\": \"%s\"}".formatted(e164)).status())
			.as("listed already: the same entry").isEqualTo(200);

		assertThat(api.get("acme-agent", "/api/do-not-call/" + e164).status()).isEqualTo(200);
		assertThat(api.get("acme-admin", "/api/do-not-call?size=200").body()).contains(e164);

		var imported = importCsv("acme-admin", "telefone\n" + e164 + "\n(47) 3" + VoxdeskApi.freshSubscriberDigits()
			.substring(1) + "\nnot a number\n");
		assertThat(imported.status()).as(imported.body()).isEqualTo(200);
		assertThat(imported.json().path("added").asInt()).isEqualTo(1);
		assertThat(imported.json().path("alreadyListed").asInt()).isEqualTo(1);
		assertThat(imported.json().path("rejected").get(0).path("row").asInt()).isEqualTo(4);

		assertThat(api.delete("acme-admin", "/api/do-not-call/" + e164).status()).isEqualTo(204);
		assertThat(api.get("acme-agent", "/api/do-not-call/" + e164).status()).isEqualTo(404);
		await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200").body())
			.contains(e164 + " added to the do-not-call list")
			.contains(e164 + " removed from the do-not-call list")
			.contains("1 numbers imported to the do-not-call list"));
	}

	@Test
	void agentsOnlyAskAndOtherTenantsSeeNothing() {
		var added = api.post("acme-admin", "/api/do-not-call", "{\"number\": \"(48) 3332-0101\"}");
		assertThat(added.status()).isIn(200, 201);

		assertThat(api.get("acme-agent", "/api/do-not-call").status()).isEqualTo(403);
		assertThat(api.post("acme-agent", "/api/do-not-call", "{\"number\": \"(48) 3332-0102\"}").status()).isEqualTo(403);
		assertThat(api.delete("acme-agent", "/api/do-not-call/+554833320101").status()).isEqualTo(403);
		assertThat(importCsv("acme-agent", "(48) 3332-0103\n").status()).isEqualTo(403);
		// The attack: globex's admin asks about, lists and removes acme's entry.
		assertThat(api.get("globex-admin", "/api/do-not-call/+554833320101").status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/do-not-call?size=200").body()).doesNotContain("+554833320101");
		assertThat(api.delete("globex-admin", "/api/do-not-call/+554833320101").status()).isEqualTo(404);
		assertThat(api.get("acme-agent", "/api/do-not-call/+554833320101").status()).isEqualTo(200);
	}

	@Test
	void badInputGetsAProblemThatNamesIt() {
		var notANumber = api.post("acme-admin", "/api/do-not-call", "{\"number\": \"call me\"}");
		assertThat(notANumber.status()).isEqualTo(400);
		assertThat(notANumber.body()).contains("number");
		var missing = api.post("acme-admin", "/api/do-not-call", "{}");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.detail()).contains("number");
		var tooLong = api.post("acme-admin", "/api/do-not-call", "{\"number\": \"(48) 3332-0104\", \"note\": \"%s\"}"
			.formatted("x".repeat(201)));
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.detail()).contains("note");
		assertThat(api.get("acme-admin", "/api/do-not-call/+554833320104").status()).isEqualTo(404);
	}
}

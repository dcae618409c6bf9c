package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Inbound numbers over real HTTP with Keycloak tokens (issue 16, point 1): a tenant admin routes the numbers that
 * reach the tenant to a queue or to one user; a number belongs to one tenant only, another tenant cannot see, change
 * or take it, bad input gets a problem naming the field, and every change is audited.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class InboundNumberApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	String acmeConnection;

	String globexConnection;

	String acmeQueue;

	@BeforeEach
	void connectionsAndAQueue() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
		acmeConnection = connection("acme-admin");
		globexConnection = connection("globex-admin");
		var queue = api.post("acme-admin", "/api/queues",
				"{\"name\": \"Inbound %s\", \"memberIds\": []}".formatted(UUID.randomUUID().toString().substring(0, 8)));
		assertThat(queue.status()).as(queue.body()).isEqualTo(201);
		acmeQueue = queue.json().path("id").asString();
	}

	/** A disabled connection of the tenant's own (other suites own the enabled ones and delete every connection). */
	String connection(String admin) {
		var created = api.post(admin, "/api/provider-connections", """
				{"kind": "api4com", "name": "Inbound %s", "enabled": false, "secret": "t0ken",
				 "settings": {"baseUrl": "http://127.0.0.1:9/api/v1"}}""".formatted(UUID.randomUUID().toString().substring(0, 8)));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	static String freshNumber() {
		var digits = VoxdeskApi.freshSubscriberDigits();
		return "(48) 3" + digits.substring(1, 4) + "-" + digits.substring(4, 8);
	}

	static String e164(String national) {
		return "+5548" + national.replaceAll("\\D", "").substring(2);
	}

	@Test
	void anAdminRoutesANumberToAQueueThenToAUserThenRemovesItAndEveryStepIsAudited() {
		var number = freshNumber();
		var created = api.post("acme-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "queueId": "%s"}""".formatted(acmeConnection, number, acmeQueue));

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var id = created.json().path("id").asString();
		assertThat(created.json().path("number").asString()).isEqualTo(e164(number));
		assertThat(created.json().path("queue").asString()).isEqualTo(acmeQueue);
		assertThat(created.json().path("user").isNull()).isTrue();
		assertThat(api.get("acme-admin", "/api/inbound-numbers").json().valueStream()
			.map(entry -> entry.path("id").asString())).contains(id);

		var agent = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		var moved = api.put("acme-admin", "/api/inbound-numbers/" + id, """
				{"connectionId": "%s", "number": "%s", "userId": "%s"}""".formatted(acmeConnection, number, agent));
		assertThat(moved.status()).as(moved.body()).isEqualTo(200);
		assertThat(moved.json().path("user").asString()).isEqualTo(agent);
		assertThat(moved.json().path("queue").isNull()).isTrue();

		assertThat(api.delete("acme-admin", "/api/inbound-numbers/" + id).status()).isEqualTo(204);
		assertThat(api.get("acme-admin", "/api/inbound-numbers/" + id).status()).isEqualTo(404);
		await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200").body())
			.contains("number " + e164(number) + " created: calls go to queue " + acmeQueue)
			.contains("number " + e164(number) + " updated: calls go to user " + agent)
			.contains("number " + e164(number) + " deleted"));
	}

	@Test
	void aNumberBelongsToOneTenantAndAnotherCannotSeeChangeOrTakeIt() {
		var number = freshNumber();
		var acme = api.post("acme-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "queueId": "%s"}""".formatted(acmeConnection, number, acmeQueue));
		assertThat(acme.status()).as(acme.body()).isEqualTo(201);
		var id = acme.json().path("id").asString();
		var globexAdmin = api.get("globex-admin", "/api/tenants/me").json().path("userId").asString();

		// The attack: globex claims acme's number, in another spelling, and reaches for acme's entry by its id.
		var claimed = api.post("globex-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "userId": "%s"}""".formatted(globexConnection, e164(number),
				globexAdmin));
		assertThat(claimed.status()).isEqualTo(409);
		assertThat(claimed.isProblem()).isTrue();
		assertThat(claimed.detail()).startsWith("The number " + e164(number) + " is routed by another organization.");
		assertThat(api.get("globex-admin", "/api/inbound-numbers/" + id).status()).isEqualTo(404);
		assertThat(api.put("globex-admin", "/api/inbound-numbers/" + id, """
				{"connectionId": "%s", "number": "%s", "userId": "%s"}""".formatted(globexConnection, number, globexAdmin))
			.status()).isEqualTo(404);
		assertThat(api.delete("globex-admin", "/api/inbound-numbers/" + id).status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/inbound-numbers").json().valueStream()
			.map(entry -> entry.path("id").asString())).doesNotContain(id);
		// Nor can globex route its own number to acme's queue or through acme's connection.
		var foreignQueue = api.post("globex-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "queueId": "%s"}""".formatted(globexConnection, freshNumber(), acmeQueue));
		assertThat(foreignQueue.status()).isEqualTo(400);
		assertThat(foreignQueue.json().path("errors").get(0).path("field").asString()).isEqualTo("queueId");
		var foreignConnection = api.post("globex-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "userId": "%s"}""".formatted(acmeConnection, freshNumber(), globexAdmin));
		assertThat(foreignConnection.status()).isEqualTo(400);
		assertThat(foreignConnection.json().path("errors").get(0).path("field").asString()).isEqualTo("connectionId");

		var again = api.post("acme-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "queueId": "%s"}""".formatted(acmeConnection, number, acmeQueue));
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.detail()).contains("is already routed in your organization");
		assertThat(api.get("acme-admin", "/api/inbound-numbers/" + id).json().path("queue").asString()).isEqualTo(acmeQueue);
	}

	@Test
	void badInputGetsAProblemNamingTheFieldAndStoresNothing() {
		var agent = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		var before = api.get("acme-admin", "/api/inbound-numbers").json().size();

		var both = api.post("acme-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "queueId": "%s", "userId": "%s"}"""
			.formatted(acmeConnection, freshNumber(), acmeQueue, agent));
		assertThat(both.status()).isEqualTo(400);
		assertThat(both.detail()).isEqualTo("Route the number to a queue (queueId) or to one user (userId): exactly one of them.");
		var neither = api.post("acme-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s"}""".formatted(acmeConnection, freshNumber()));
		assertThat(neither.status()).isEqualTo(400);
		var badNumber = api.post("acme-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "12", "queueId": "%s"}""".formatted(acmeConnection, acmeQueue));
		assertThat(badNumber.status()).isEqualTo(400);
		assertThat(badNumber.isProblem()).isTrue();
		assertThat(badNumber.body()).contains("number");
		var stranger = api.post("acme-admin", "/api/inbound-numbers", """
				{"connectionId": "%s", "number": "%s", "userId": "nobody-%s"}""".formatted(acmeConnection, freshNumber(),
				UUID.randomUUID()));
		assertThat(stranger.status()).isEqualTo(400);
		assertThat(stranger.json().path("errors").get(0).path("field").asString()).isEqualTo("userId");
		var malformed = api.post("acme-admin", "/api/inbound-numbers", "{\"connectionId\": \"not-a-uuid\"}");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.isProblem()).isTrue();

		assertThat(api.get("acme-admin", "/api/inbound-numbers").json().size()).as("nothing stored").isEqualTo(before);
		assertThat(api.get("acme-agent", "/api/inbound-numbers").status()).as("only tenant admins route numbers")
			.isEqualTo(403);
	}

	@Test
	void anAdminDecidesWhatInboundCallsCreateAndBadValuesChangeNothing() {
		try {
			var read = api.get("acme-admin", "/api/inbound-policy");
			assertThat(read.status()).as(read.body()).isEqualTo(200);
			var changed = api.put("acme-admin", "/api/inbound-policy", """
					{"createContacts": false, "tickets": "new-ticket"}""");
			assertThat(changed.status()).as(changed.body()).isEqualTo(200);
			assertThat(changed.json().path("createContacts").asBoolean()).isFalse();
			assertThat(changed.json().path("tickets").asString()).isEqualTo("new-ticket");

			var badTickets = api.put("acme-admin", "/api/inbound-policy", """
					{"createContacts": true, "tickets": "always"}""");
			assertThat(badTickets.status()).isEqualTo(400);
			assertThat(badTickets.json().path("errors").get(0).path("field").asString()).isEqualTo("tickets");
			var missing = api.put("acme-admin", "/api/inbound-policy", "{\"tickets\": \"none\"}");
			assertThat(missing.status()).isEqualTo(400);
			assertThat(missing.isProblem()).isTrue();
			assertThat(api.put("acme-agent", "/api/inbound-policy", """
					{"createContacts": true, "tickets": "none"}""").status()).isEqualTo(403);
			assertThat(api.get("acme-admin", "/api/inbound-policy").json().path("tickets").asString())
				.as("nothing changed").isEqualTo("new-ticket");
			// Another tenant's policy is its own.
			assertThat(api.get("globex-admin", "/api/inbound-policy").json().path("tickets").asString())
				.isNotEqualTo("new-ticket");
		}
		finally {
			api.put("acme-admin", "/api/inbound-policy", """
					{"createContacts": true, "tickets": "open-ticket"}""");
		}
	}
}

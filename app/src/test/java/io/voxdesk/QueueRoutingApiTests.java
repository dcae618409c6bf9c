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
 * A queue's call routing over real HTTP with Keycloak tokens (issue 16, point 4): sensible defaults until a tenant
 * admin sets strategy, ring time, maximum wait, wrap-up, music and overflow; bad values get a problem naming the
 * field and change nothing; agents read, only admins write; another tenant's queue does not exist; changes are
 * audited.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class QueueRoutingApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	String support;

	String billing;

	@BeforeEach
	void queues() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
		support = queue("Support");
		billing = queue("Billing");
	}

	String queue(String name) {
		var created = api.post("acme-admin", "/api/queues",
				"{\"name\": \"%s %s\", \"memberIds\": []}".formatted(name, UUID.randomUUID().toString().substring(0, 8)));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	String routing(String queue) {
		return "/api/queues/" + queue + "/call-routing";
	}

	@Test
	void aQueueRingsEveryoneFor20SecondsUntilAnAdminSetsOtherwiseAndTheChangeIsAudited() {
		var defaults = api.get("acme-agent", routing(support));
		assertThat(defaults.status()).as(defaults.body()).isEqualTo(200);
		assertThat(defaults.json().path("strategy").asString()).isEqualTo("ring-all");
		assertThat(defaults.json().path("ringSeconds").asInt()).isEqualTo(20);
		assertThat(defaults.json().path("maxWaitSeconds").asInt()).isEqualTo(300);
		assertThat(defaults.json().path("wrapUpSeconds").asInt()).isEqualTo(10);
		assertThat(defaults.json().path("musicClass").asString()).isEqualTo("default");
		assertThat(defaults.json().path("overflow").path("target").asString()).isEqualTo("hang-up");
		assertThat(defaults.json().path("customized").asBoolean()).isFalse();

		var saved = api.put("acme-admin", routing(support), """
				{"strategy": "round-robin", "ringSeconds": 15, "maxWaitSeconds": 120, "wrapUpSeconds": 30,
				 "greeting": "queue-thankyou", "overflow": {"target": "queue", "queueId": "%s"}}""".formatted(billing));

		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		var read = api.get("acme-agent", routing(support)).json();
		assertThat(read.path("strategy").asString()).isEqualTo("round-robin");
		assertThat(read.path("ringSeconds").asInt()).isEqualTo(15);
		assertThat(read.path("maxWaitSeconds").asInt()).isEqualTo(120);
		assertThat(read.path("wrapUpSeconds").asInt()).isEqualTo(30);
		assertThat(read.path("musicClass").asString()).isEqualTo("default");
		assertThat(read.path("greeting").asString()).isEqualTo("queue-thankyou");
		assertThat(read.path("overflow").path("target").asString()).isEqualTo("queue");
		assertThat(read.path("overflow").path("queue").asString()).isEqualTo(billing);
		assertThat(read.path("customized").asBoolean()).isTrue();
		// The other queue keeps its defaults.
		assertThat(api.get("acme-agent", routing(billing)).json().path("strategy").asString()).isEqualTo("ring-all");

		var agent = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		var toUser = api.put("acme-admin", routing(support), """
				{"strategy": "longest-idle", "ringSeconds": 20, "maxWaitSeconds": 60, "wrapUpSeconds": 0,
				 "overflow": {"target": "user", "userId": "%s"}}""".formatted(agent));
		assertThat(toUser.status()).as(toUser.body()).isEqualTo(200);
		assertThat(toUser.json().path("overflow").path("user").asString()).isEqualTo(agent);
		assertThat(toUser.json().path("greeting").isNull()).isTrue();
		await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200").body())
			.contains("call routing set: round-robin, ring 15 s, wait 120 s, wrap-up 30 s, music default, then queue "
					+ billing)
			.contains("call routing set: longest-idle, ring 20 s, wait 60 s, wrap-up 0 s, music default, then user "
					+ agent));
	}

	@Test
	void badValuesGetAProblemNamingTheFieldAndChangeNothing() {
		var valid = """
				{"strategy": "ring-all", "ringSeconds": 20, "maxWaitSeconds": 300, "wrapUpSeconds": 10,
				 "overflow": {"target": "hang-up"}}""";
		assertThat(api.put("acme-admin", routing(support), valid).status()).isEqualTo(200);
		var before = api.get("acme-admin", routing(support)).body();

		assertField(valid.replace("\"ring-all\"", "\"least-recent\""), "strategy");
		assertField(valid.replace("\"ringSeconds\": 20", "\"ringSeconds\": 0"), "ringSeconds");
		assertField(valid.replace("\"maxWaitSeconds\": 300", "\"maxWaitSeconds\": 86400"), "maxWaitSeconds");
		assertField(valid.replace("\"wrapUpSeconds\": 10", "\"wrapUpSeconds\": -1"), "wrapUpSeconds");
		// Values that would reach the PBX's dial strings and file names.
		assertField(valid.replace("\"strategy\"", "\"musicClass\": \"default,loud\", \"strategy\""), "musicClass");
		assertField(valid.replace("\"strategy\"", "\"greeting\": \"../../etc/passwd\", \"strategy\""), "greeting");
		assertField(valid.replace("{\"target\": \"hang-up\"}", "{\"target\": \"hang-up\", \"message\": \"http://x/y\"}"),
				"overflow.message");
		assertField(valid.replace("{\"target\": \"hang-up\"}", "{\"target\": \"voicemail\"}"), "overflow.target");
		assertField(valid.replace("{\"target\": \"hang-up\"}", "{\"target\": \"queue\"}"), "overflow.queueId");
		assertField(valid.replace("{\"target\": \"hang-up\"}", "{\"target\": \"queue\", \"queueId\": \"%s\"}"
			.formatted(support)), "overflow.queueId");
		assertField(valid.replace("{\"target\": \"hang-up\"}", "{\"target\": \"user\", \"userId\": \"nobody-%s\"}"
			.formatted(UUID.randomUUID())), "overflow.userId");
		var missing = api.put("acme-admin", routing(support), "{\"strategy\": \"ring-all\"}");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.isProblem()).isTrue();

		assertThat(api.get("acme-admin", routing(support)).body()).as("nothing changed").isEqualTo(before);
	}

	void assertField(String body, String field) {
		var answer = api.put("acme-admin", routing(support), body);
		assertThat(answer.status()).as(body + " → " + answer.body()).isEqualTo(400);
		assertThat(answer.isProblem()).isTrue();
		assertThat(answer.json().path("errors").get(0).path("field").asString()).as(answer.body()).isEqualTo(field);
	}

	@Test
	void onlyAdminsSetRoutingAndAnotherTenantsQueueDoesNotExist() {
		var body = """
				{"strategy": "random", "ringSeconds": 20, "maxWaitSeconds": 300, "wrapUpSeconds": 10,
				 "overflow": {"target": "hang-up"}}""";
		assertThat(api.put("acme-agent", routing(support), body).status()).isEqualTo(403);

		// The attack: globex reads and rewrites the routing of acme's queue, and overflows its own into it.
		assertThat(api.get("globex-admin", routing(support)).status()).isEqualTo(404);
		assertThat(api.put("globex-admin", routing(support), body).status()).isEqualTo(404);
		var globexQueue = api.post("globex-admin", "/api/queues", "{\"name\": \"Theirs %s\", \"memberIds\": []}"
			.formatted(UUID.randomUUID().toString().substring(0, 8))).json().path("id").asString();
		var intoAcme = api.put("globex-admin", routing(globexQueue), body.replace("{\"target\": \"hang-up\"}",
				"{\"target\": \"queue\", \"queueId\": \"%s\"}".formatted(support)));
		assertThat(intoAcme.status()).isEqualTo(400);
		assertThat(intoAcme.json().path("errors").get(0).path("field").asString()).isEqualTo("overflow.queueId");
		assertThat(api.get("acme-admin", routing(support)).json().path("strategy").asString()).isEqualTo("ring-all");
		assertThat(api.get("acme-admin", routing(UUID.randomUUID().toString())).status()).isEqualTo(404);
	}
}

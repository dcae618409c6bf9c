package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Tickets and queues over real HTTP with real Keycloak tokens: workflow, visibility, roles, isolation, bad input. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TicketApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	@BeforeEach
	void demoTenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
	}

	/** The user's id; asking also puts them in their tenant's member directory, as any first request does. */
	String userId(String user) {
		var me = api.get(user, "/api/tenants/me");
		assertThat(me.status()).as(me.body()).isEqualTo(200);
		return me.json().path("userId").asString();
	}

	String queue(String admin, String name, String... members) {
		var body = "{\"name\": \"%s\", \"memberIds\": [%s]}".formatted(name,
				String.join(", ", java.util.Arrays.stream(members).map(m -> "\"" + m + "\"").toList()));
		var created = api.post(admin, "/api/queues", body);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	String ticket(String user, String body) {
		var created = api.post(user, "/api/tickets", body);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	static String unique(String name) {
		return name + " " + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void aTicketGoesThroughItsLifeAndEveryStepIsOnTheTimeline() {
		var agent = userId("acme-agent");
		var admin = userId("acme-admin");
		var billing = queue("acme-admin", unique("Billing"), agent);
		var contact = api.post("acme-agent", "/api/contacts", "{\"name\": \"Ticket Customer\"}").json().path("id").asString();

		var created = api.post("acme-agent", "/api/tickets", """
				{"subject": "Charged twice", "priority": "high", "contactId": "%s", "queueId": "%s",
				 "note": "Customer called about invoice 117."}""".formatted(contact, billing));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().path("status").asString()).isEqualTo("pending");
		assertThat(created.json().path("priority").asString()).isEqualTo("high");
		var id = created.json().path("id").asString();
		assertThat(api.get("acme-agent", "/api/tickets/" + id).status())
			.isEqualTo(200);

		var accepted = api.postEmpty("acme-agent", "/api/tickets/" + id + "/accept");
		assertThat(accepted.json().path("status").asString()).isEqualTo("open");
		assertThat(accepted.json().path("assigneeId").asString()).isEqualTo(agent);

		var transferred = api.post("acme-agent", "/api/tickets/" + id + "/transfer",
				"{\"assigneeId\": \"%s\", \"note\": \"Needs a refund approval\"}".formatted(admin));
		assertThat(transferred.status()).as(transferred.body()).isEqualTo(200);
		assertThat(transferred.json().path("assigneeId").asString()).isEqualTo(admin);
		assertThat(transferred.json().path("queueId").asString()).isEqualTo(billing);

		assertThat(api.post("acme-admin", "/api/tickets/" + id + "/notes", "{\"text\": \"Refund approved\"}").status())
			.isEqualTo(201);
		var closed = api.post("acme-admin", "/api/tickets/" + id + "/close", "{\"note\": \"Refunded\"}");
		assertThat(closed.json().path("status").asString()).isEqualTo("closed");
		assertThat(closed.json().path("closedAt").isNull()).isFalse();
		var closedAgain = api.postEmpty("acme-admin", "/api/tickets/" + id + "/close");
		assertThat(closedAgain.status()).isEqualTo(409);
		assertThat(closedAgain.isProblem()).isTrue();
		assertThat(api.postEmpty("acme-admin", "/api/tickets/" + id + "/reopen").json().path("status").asString())
			.isEqualTo("open");

		var timeline = api.get("acme-agent", "/api/tickets/" + id + "/timeline").json();
		assertThat(timeline.valueStream().map(entry -> entry.path("type").asString())).containsExactly("created", "note",
				"assigned", "transferred", "note", "status_changed", "status_changed");
		assertThat(timeline.valueStream().map(entry -> entry.path("sequence").asLong())).containsExactly(1L, 2L, 3L, 4L,
				5L, 6L, 7L);
		assertThat(timeline.get(2).path("actorName").asString()).isEqualTo("acme-agent");
		assertThat(timeline.get(2).path("summary").asString()).isEqualTo("acme-agent accepted the ticket");
		assertThat(timeline.get(4).path("data").path("text").asString()).isEqualTo("Refund approved");
		var rest = api.get("acme-agent", "/api/tickets/" + id + "/timeline?after=5&limit=1").json();
		assertThat(rest.valueStream().map(entry -> entry.path("sequence").asLong())).containsExactly(6L);
	}

	@Test
	void agentsSeeTheirQueuesTicketsAndTheirOwnWhileAdminsSeeAll() {
		var agent = userId("acme-agent");
		var queue = queue("acme-admin", unique("Field service"));
		var ticket = ticket("acme-admin", "{\"subject\": \"Site visit\", \"queueId\": \"%s\"}".formatted(queue));

		assertThat(api.get("acme-agent", "/api/tickets/" + ticket).status()).isEqualTo(404);
		assertThat(api.get("acme-agent", "/api/tickets?queueId=" + queue).json().path("content").size()).isZero();
		assertThat(api.postEmpty("acme-agent", "/api/tickets/" + ticket + "/accept").status()).isEqualTo(404);
		assertThat(api.get("acme-admin", "/api/tickets?queueId=" + queue).json().path("content").size()).isEqualTo(1);

		var name = api.get("acme-admin", "/api/queues/" + queue).json().path("name").asString();
		assertThat(api.put("acme-admin", "/api/queues/" + queue,
				"{\"name\": \"%s\", \"memberIds\": [\"%s\"]}".formatted(name, agent)).status()).isEqualTo(200);
		var listed = api.get("acme-agent", "/api/tickets?queueId=" + queue + "&status=pending").json();
		assertThat(listed.path("content").get(0).path("id").asString()).isEqualTo(ticket);
		assertThat(listed.path("page").path("totalElements").asLong()).isEqualTo(1);
		assertThat(api.get("acme-agent", "/api/tickets?queueId=" + queue + "&status=open").json().path("content").size())
			.isZero();
		assertThat(api.get("acme-agent", "/api/tickets?assigneeId=" + agent + "&queueId=" + queue).json().path("content")
			.size()).isZero();
	}

	@Test
	void anotherTenantsTicketsAnswer404AndItsIdsInBodiesAreRefused() {
		var globexAgent = userId("globex-agent");
		var globexQueue = queue("globex-admin", unique("Globex support"), globexAgent);
		var globexContact = api.post("globex-agent", "/api/contacts", "{\"name\": \"Globex Customer\"}").json().path("id")
			.asString();
		var acmeTicket = ticket("acme-admin", "{\"subject\": \"Acme only\"}");
		var acmeQueue = queue("acme-admin", unique("Acme queue"));

		for (var path : new String[] { "", "/timeline" }) {
			assertThat(api.get("globex-admin", "/api/tickets/" + acmeTicket + path).status()).isEqualTo(404);
		}
		for (var action : new String[] { "/accept", "/close", "/reopen" }) {
			var answer = api.postEmpty("globex-admin", "/api/tickets/" + acmeTicket + action);
			assertThat(answer.status()).as(action).isEqualTo(404);
			assertThat(answer.isProblem()).isTrue();
		}
		assertThat(api.post("globex-admin", "/api/tickets/" + acmeTicket + "/notes", "{\"text\": \"planted\"}").status())
			.isEqualTo(404);
		assertThat(api.post("globex-admin", "/api/tickets/" + acmeTicket + "/assign",
				"{\"assigneeId\": \"%s\"}".formatted(globexAgent)).status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/queues/" + acmeQueue).status()).isEqualTo(404);
		assertThat(api.put("globex-admin", "/api/queues/" + acmeQueue, "{\"name\": \"Taken over\"}").status()).isEqualTo(404);
		assertThat(api.delete("globex-admin", "/api/queues/" + acmeQueue).status()).isEqualTo(404);

		var foreignAgent = api.post("acme-admin", "/api/tickets/" + acmeTicket + "/assign",
				"{\"assigneeId\": \"%s\"}".formatted(globexAgent));
		assertThat(foreignAgent.status()).isEqualTo(422);
		assertThat(foreignAgent.detail()).contains("is not a member of your tenant");
		var foreignQueue = api.post("acme-admin", "/api/tickets/" + acmeTicket + "/transfer",
				"{\"queueId\": \"%s\"}".formatted(globexQueue));
		assertThat(foreignQueue.status()).isEqualTo(422);
		assertThat(foreignQueue.detail()).contains("Queue " + globexQueue + " does not exist in your tenant");
		assertThat(api.post("acme-admin", "/api/tickets", "{\"subject\": \"x\", \"contactId\": \"%s\"}"
			.formatted(globexContact)).status()).isEqualTo(422);
		assertThat(api.post("acme-admin", "/api/tickets", "{\"subject\": \"x\", \"queueId\": \"%s\"}"
			.formatted(globexQueue)).status()).isEqualTo(422);
		assertThat(api.post("acme-admin", "/api/queues", "{\"name\": \"%s\", \"memberIds\": [\"%s\"]}"
			.formatted(unique("Mixed"), globexAgent)).status()).isEqualTo(422);

		var timeline = api.get("acme-admin", "/api/tickets/" + acmeTicket + "/timeline").json();
		assertThat(timeline.valueStream().map(entry -> entry.path("type").asString())).containsExactly("created");
		assertThat(api.get("globex-admin", "/api/tickets?queueId=" + acmeQueue).json().path("content").size()).isZero();
	}

	@Test
	void rolesDecideWhoManagesQueuesAssignsAndSetsThePolicy() {
		var agent = userId("acme-agent");
		var ticket = ticket("acme-admin", "{\"subject\": \"Roles\"}");
		assertThat(api.post("acme-agent", "/api/queues", "{\"name\": \"Mine\"}").status()).isEqualTo(403);
		assertThat(api.post("acme-agent", "/api/tickets/" + ticket + "/assign",
				"{\"assigneeId\": \"%s\"}".formatted(agent)).status()).isEqualTo(403);
		assertThat(api.put("acme-agent", "/api/tickets/policy", "{\"whenLastClosed\": \"create-new\"}").status())
			.isEqualTo(403);
		assertThat(api.get("acme-agent", "/api/queues").status()).isEqualTo(200);
		assertThat(api.get("platform", "/api/tickets").status()).isEqualTo(403);
		assertThat(api.get("nobody", "/api/tickets").status()).isEqualTo(403);
		assertThat(api.get(null, "/api/tickets").status()).isEqualTo(401);

		var assigned = api.post("acme-admin", "/api/tickets/" + ticket + "/assign", "{\"assigneeId\": \"%s\"}".formatted(agent));
		assertThat(assigned.json().path("assigneeId").asString()).isEqualTo(agent);
		assertThat(api.get("acme-agent", "/api/tickets/" + ticket).status()).isEqualTo(200);

		assertThat(api.put("acme-admin", "/api/tickets/policy", "{\"whenLastClosed\": \"create-new\"}").json()
			.path("whenLastClosed").asString()).isEqualTo("create-new");
		assertThat(api.get("acme-agent", "/api/tickets/policy").json().path("whenLastClosed").asString())
			.isEqualTo("create-new");
		assertThat(api.get("globex-agent", "/api/tickets/policy").json().path("whenLastClosed").asString())
			.isEqualTo("reopen");
		api.put("acme-admin", "/api/tickets/policy", "{\"whenLastClosed\": \"reopen\"}");
	}

	@Test
	void badInputIsRefusedWithProblemsThatSayWhatIsWrong() {
		var empty = api.post("acme-agent", "/api/tickets", "{\"subject\": \"  \"}");
		assertThat(empty.status()).isEqualTo(400);
		assertThat(empty.json().path("errors").get(0).path("field").asString()).isEqualTo("subject");

		var oversized = api.post("acme-agent", "/api/tickets", "{\"subject\": \"%s\"}".formatted("x".repeat(201)));
		assertThat(oversized.status()).isEqualTo(400);
		assertThat(oversized.detail()).contains("subject size must be between 0 and 200");

		var unknownPriority = api.post("acme-agent", "/api/tickets", "{\"subject\": \"x\", \"priority\": \"critical\"}");
		assertThat(unknownPriority.status()).isEqualTo(400);
		assertThat(unknownPriority.detail()).startsWith("'critical' is not a valid value for priority; use one of: ")
			.contains("low", "normal", "high", "urgent");

		var badUuid = api.post("acme-agent", "/api/tickets", "{\"subject\": \"x\", \"queueId\": \"billing\"}");
		assertThat(badUuid.status()).isEqualTo(400);
		assertThat(badUuid.detail()).isEqualTo("'billing' is not a valid value for queueId.");

		var malformed = api.post("acme-agent", "/api/tickets", "{\"subject\": \"x\",");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.isProblem()).isTrue();
		assertThat(malformed.detail()).startsWith("The request body is not valid JSON");

		var unknownStatus = api.get("acme-agent", "/api/tickets?status=solved");
		assertThat(unknownStatus.status()).isEqualTo(400);
		assertThat(unknownStatus.detail()).isEqualTo("'solved' is not a ticket status: use pending, open or closed.");

		var badSort = api.get("acme-agent", "/api/tickets?sort=subject");
		assertThat(badSort.status()).isEqualTo(400);
		assertThat(badSort.detail()).contains("cannot be sorted by 'subject'");

		var own = api.post("acme-agent", "/api/tickets", "{\"subject\": \"Bad input\"}");
		assertThat(own.json().path("assigneeId").asString()).as("an agent's ticket outside queues is theirs")
			.isEqualTo(userId("acme-agent"));
		assertThat(own.json().path("status").asString()).isEqualTo("open");
		var ticket = own.json().path("id").asString();
		var nowhere = api.post("acme-agent", "/api/tickets/" + ticket + "/transfer", "{\"note\": \"somewhere\"}");
		assertThat(nowhere.status()).isEqualTo(400);
		assertThat(nowhere.detail()).contains("a queueId, an assigneeId or both");
		assertThat(api.post("acme-agent", "/api/tickets/" + ticket + "/notes", "{\"text\": \"\"}").status()).isEqualTo(400);
		assertThat(api.get("acme-agent", "/api/tickets/" + ticket + "/timeline?limit=0").status()).isEqualTo(400);
		assertThat(api.post("acme-admin", "/api/tickets/" + ticket + "/assign", "{\"assigneeId\": \"a b\"}").status())
			.isEqualTo(400);
		var badPolicy = api.put("acme-admin", "/api/tickets/policy", "{\"whenLastClosed\": \"sometimes\"}");
		assertThat(badPolicy.status()).isEqualTo(400);
		assertThat(badPolicy.detail()).contains("whenLastClosed must be reopen or create-new");
		assertThat(api.get("acme-agent", "/api/tickets/not-a-uuid").status()).isEqualTo(400);

		var longName = api.post("acme-admin", "/api/queues", "{\"name\": \"%s\"}".formatted("q".repeat(101)));
		assertThat(longName.status()).isEqualTo(400);
		var name = unique("Duplicate");
		queue("acme-admin", name);
		var duplicate = api.post("acme-admin", "/api/queues", "{\"name\": \"%s\"}".formatted(name.toUpperCase()));
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.detail()).contains("already has a queue named");

		var timeline = api.get("acme-agent", "/api/tickets/" + ticket + "/timeline");
		assertThat(timeline.json().size()).as(timeline.body()).isEqualTo(1);
	}

	@Test
	void membersOfTheTenantAreListedForPickingAssignees() {
		var agent = userId("acme-agent");
		userId("globex-agent");
		var members = api.get("acme-admin", "/api/tenants/me/members").json();
		assertThat(members.valueStream().map(m -> m.path("username").asString())).contains("acme-agent")
			.doesNotContain("globex-agent");
		assertThat(members.valueStream().filter(m -> m.path("id").asString().equals(agent)).findFirst().orElseThrow()
			.path("roles").valueStream().map(r -> r.asString())).contains("agent");
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Outbound webhooks through the HTTP API with real tokens: a tenant admin registers an endpoint and sees its secret
 * once; a ticket opened by an agent reaches the host's receiver, signed, through the event publication registry;
 * the delivery log and a test event; agents and other tenants are refused, and bad input gets a problem that says
 * what is wrong.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class WebhookApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	HttpServer receiver;

	final List<String[]> received = new CopyOnWriteArrayList<>();

	@BeforeEach
	void apiAndReceiver() throws IOException {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/", exchange -> {
			received.add(new String[] { exchange.getRequestHeaders().getFirst("webhook-id"),
					exchange.getRequestHeaders().getFirst("webhook-signature"),
					new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) });
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
	}

	@AfterEach
	void stopReceiver() {
		receiver.stop(0);
	}

	String url() {
		return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/voxdesk";
	}

	@Test
	void anAdminRegistersAnEndpointAndAnAgentsNewTicketReachesTheHostSigned() {
		var created = api.post("acme-admin", "/api/webhooks", """
				{"url": "%s", "description": "Host CRM", "eventTypes": ["ticket.created"]}""".formatted(url()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var id = created.json().path("endpoint").path("id").asString();
		var secret = created.json().path("secret").asString();
		assertThat(secret).startsWith("whsec_");
		var shown = api.get("acme-admin", "/api/webhooks/" + id);
		assertThat(shown.status()).isEqualTo(200);
		assertThat(shown.body()).as("the secret is shown once").doesNotContain(secret.substring(6));
		assertThat(api.get("acme-admin", "/api/webhooks").body()).doesNotContain(secret.substring(6));

		var contact = api.post("acme-agent", "/api/contacts", "{\"name\": \"Webhook Customer\"}").json().path("id").asString();
		var ticket = api.post("acme-agent", "/api/tickets", "{\"subject\": \"Hooked\", \"contactId\": \"%s\"}"
			.formatted(contact)).json().path("id").asString();

		await().until(() -> received.stream().anyMatch(request -> request[2].contains(ticket)));
		var delivery = received.stream().filter(request -> request[2].contains(ticket)).findFirst().orElseThrow();
		assertThat(delivery[0]).startsWith("msg_");
		assertThat(delivery[1]).startsWith("v1,");
		assertThat(delivery[2]).contains("\"type\":\"ticket.created\"").contains("\"tenant\":\"acme\"");
		await().until(() -> api.get("acme-admin", "/api/webhooks/" + id + "/deliveries").json().path(0).path("state")
			.asString()
			.equals("delivered"));

		var test = api.postEmpty("acme-admin", "/api/webhooks/" + id + "/test");
		assertThat(test.status()).as(test.body()).isEqualTo(202);
		var testId = test.json().path("deliveryId").asString();
		await().until(() -> received.stream().anyMatch(request -> request[0].equals("msg_" + testId)));
		await().until(() -> api.get("acme-admin", "/api/webhooks/" + id + "/deliveries/" + testId)
			.json()
			.path("attempts")
			.path(0)
			.path("statusCode")
			.asInt() == 204);
		assertThat(api.delete("acme-admin", "/api/webhooks/" + id).status()).isEqualTo(204);
	}

	@Test
	void agentsAndOtherTenantsAreRefused() {
		var created = api.post("acme-admin", "/api/webhooks",
				"{\"url\": \"%s\", \"eventTypes\": [\"call.ended\"]}".formatted(url()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var id = created.json().path("endpoint").path("id").asString();

		assertThat(api.get("acme-agent", "/api/webhooks").status()).as("an agent").isEqualTo(403);
		assertThat(api.post("acme-agent", "/api/webhooks", "{\"url\": \"%s\", \"eventTypes\": [\"call.ended\"]}"
			.formatted(url())).status()).isEqualTo(403);
		// The attack: globex's admin names acme's endpoint, to read it, point it elsewhere or steal a new secret.
		assertThat(api.get("globex-admin", "/api/webhooks/" + id).status()).isEqualTo(404);
		assertThat(api.put("globex-admin", "/api/webhooks/" + id,
				"{\"url\": \"%s\", \"eventTypes\": [\"call.ended\"]}".formatted(url() + "/stolen")).status())
			.isEqualTo(404);
		assertThat(api.postEmpty("globex-admin", "/api/webhooks/" + id + "/secret").status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/webhooks").body()).doesNotContain(id);
		assertThat(api.get("acme-admin", "/api/webhooks/" + id).json().path("url").asString()).isEqualTo(url());
	}

	@Test
	void badInputGetsAProblemThatSaysWhatIsWrong() {
		var metadata = api.post("acme-admin", "/api/webhooks",
				"{\"url\": \"https://169.254.169.254/latest/meta-data\", \"eventTypes\": [\"call.ended\"]}");
		assertThat(metadata.status()).isEqualTo(400);
		assertThat(metadata.isProblem()).isTrue();
		assertThat(metadata.json().path("title").asString()).isEqualTo("Webhook URL refused");
		assertThat(metadata.detail()).contains("resolves to a private, loopback or link-local address");

		var unknown = api.post("acme-admin", "/api/webhooks",
				"{\"url\": \"%s\", \"eventTypes\": [\"call.exploded\"]}".formatted(url()));
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.detail()).startsWith("Not an event type: call.exploded; the types are: ");

		var none = api.post("acme-admin", "/api/webhooks", "{\"url\": \"%s\", \"eventTypes\": []}".formatted(url()));
		assertThat(none.status()).isEqualTo(400);
		assertThat(none.detail()).contains("eventTypes");

		var broken = api.post("acme-admin", "/api/webhooks", "{\"url\": ");
		assertThat(broken.status()).isEqualTo(400);
		assertThat(broken.isProblem()).isTrue();

		var types = api.get("acme-admin", "/api/webhooks/event-types");
		assertThat(types.status()).isEqualTo(200);
		assertThat(types.body()).contains("\"call.ended\"").contains("\"contact_import.finished\"");
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import io.voxdesk.testing.KeycloakTestServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.json.JsonMapper;

/**
 * A host CRM on another origin embeds the webphone: the origins in {@code voxdesk.security.allowed-origins} may
 * load its script and call the API from the browser; any other origin is refused before the API does anything.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "voxdesk.security.allowed-origins=https://crm.example.com,https://helpdesk.example.org")
class CrossOriginTests {

	private static final String HOST_CRM = "https://crm.example.com";

	private static final String ELSEWHERE = "https://evil.example";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@BeforeEach
	void acmeExists() {
		new VoxdeskApi(port).ensureActiveTenant("acme");
	}

	@Test
	void anAllowedHostOriginMayPrepareAndSendAnApiRequest() throws Exception {
		var preflight = send(HttpRequest.newBuilder(uri("/api/calls"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", HOST_CRM)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "authorization,content-type"));

		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(HOST_CRM);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
			.contains("authorization", "content-type");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

		var answer = send(HttpRequest.newBuilder(uri("/api/tenants/me"))
			.header("Origin", HOST_CRM)
			.header("Authorization", "Bearer " + KeycloakTestServer.accessToken("acme-agent")));

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue(HOST_CRM);
		assertThat(answer.body()).contains("\"acme\"");
	}

	@Test
	void anAllowedHostOriginMayLoadTheWebphoneScript() throws Exception {
		var script = send(HttpRequest.newBuilder(uri("/webphone/voxdesk-webphone.js")).header("Origin", HOST_CRM));

		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValue("Access-Control-Allow-Origin")).hasValue(HOST_CRM);
	}

	@Test
	void anyOtherOriginIsRefusedWithAProblemEvenWithAValidToken() throws Exception {
		// The attack: a page on another origin that got hold of an agent's token (or tricks the agent's browser)
		// tries to read the tenant and to place a call from the browser.
		var preflight = send(HttpRequest.newBuilder(uri("/api/calls"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", ELSEWHERE)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "authorization,content-type"));
		var read = send(HttpRequest.newBuilder(uri("/api/tenants/me"))
			.header("Origin", ELSEWHERE)
			.header("Authorization", "Bearer " + KeycloakTestServer.accessToken("acme-agent")));

		for (var refused : new HttpResponse<?>[] { preflight, read }) {
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
			assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
			assertThat(JsonMapper.builder().build().readTree((String) refused.body()).path("title").asString())
				.isEqualTo("Origin not allowed");
		}
		assertThat((String) read.body()).doesNotContain("acme");
	}

	@Test
	void sameOriginRequestsAreNotCrossOriginRequests() throws Exception {
		var answer = send(HttpRequest.newBuilder(uri("/api/tenants/me"))
			.header("Origin", "http://127.0.0.1:" + port)
			.header("Authorization", "Bearer " + KeycloakTestServer.accessToken("acme-agent")));

		assertThat(answer.statusCode()).isEqualTo(200);
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;

import javax.sql.DataSource;

import io.voxdesk.testing.KeycloakTestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.json.JsonMapper;

/**
 * A request that cannot get a database connection in time (PostgreSQL restarting, or every pooled connection busy
 * under a load above what the instance can take) is answered 503 with {@code Retry-After} and a problem a person
 * understands, quickly rather than after a long wait, changes nothing, and succeeds when sent again once connections
 * are free; the scheduled work that cannot reach the database meanwhile says so in a line, on threads of its own
 * (not the STOMP broker's). A small pool with a short wait here, so a test can take all of it.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.hikari.maximum-pool-size=4", "spring.datasource.hikari.connection-timeout=500" })
class DatabaseOutOfReachApiTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Test
	void aRequestFindingEveryConnectionTakenIsRefusedWith503AndWorksOnceOneIsFree(CapturedOutput output)
			throws Exception {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		var contact = api.post("acme-agent", "/api/contacts", "{\"name\": \"Pool Customer\"}");
		assertThat(contact.status()).as(contact.body()).isEqualTo(201);
		var subject = "Pool " + UUID.randomUUID();
		var create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tickets"))
			.header("Authorization", "Bearer " + KeycloakTestServer.accessToken("acme-agent"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"subject\": \"%s\", \"contactId\": \"%s\"}"
				.formatted(subject, contact.json().path("id").asString())))
			.timeout(Duration.ofSeconds(20))
			.build();
		var http = HttpClient.newHttpClient();

		// The attack, or the overload: something holds every pooled connection.
		var taken = new ArrayList<Connection>();
		HttpResponse<String> refused;
		try {
			while (true) {
				try {
					taken.add(dataSource.getConnection());
				}
				catch (SQLException poolEmpty) {
					break;
				}
			}
			assertThat(taken).as("the whole pool").hasSize(4);
			var sent = System.nanoTime();
			refused = http.send(create, HttpResponse.BodyHandlers.ofString());
			assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("refused after the pool's wait, not hanging")
				.isLessThan(Duration.ofSeconds(10));
			// Campaign pacing runs five times a second and needs a connection each time.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("Scheduled work could not reach the database"));
		}
		finally {
			for (var connection : taken) {
				connection.close();
			}
		}

		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		var problem = JSON.readTree(refused.body());
		assertThat(problem.path("title").asString()).isEqualTo("Temporarily unavailable");
		assertThat(problem.path("detail").asString()).contains("could not reach its database in time")
			.contains("Try again");
		assertThat(refused.body()).as("no internals").doesNotContain("Hikari").doesNotContain("JDBC");
		assertThat(output.getOut().lines().filter(line -> line.contains("Scheduled work could not reach the database")))
			.as("on threads of their own, not the broker's").allMatch(line -> line.contains(" scheduled-"));
		assertThat(output.getOut()).as("one line rather than a stack five times a second")
			.doesNotContain("Unexpected error occurred in scheduled task");

		var again = http.send(create, HttpResponse.BodyHandlers.ofString());
		assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
		var listed = api.get("acme-agent", "/api/tickets?size=100&sort=createdAt,desc");
		assertThat(listed.status()).as(listed.body()).isEqualTo(200);
		assertThat(listed.body().split(subject, -1)).as("the refused request created nothing: one ticket").hasSize(2);
	}
}

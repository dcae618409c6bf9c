package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.TestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.json.JsonMapper;

/**
 * Limits that keep one user or tenant from slowing down the others: request rates per user and per tenant, and a
 * statement timeout on contact searches. Small limits here, so a test can exceed them; each test uses users no
 * other test of this class spends the buckets of.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voxdesk.rate-limits.enabled=true", "voxdesk.rate-limits.user-capacity=10", "voxdesk.rate-limits.user-per-second=1",
				"voxdesk.rate-limits.tenant-capacity=15", "voxdesk.rate-limits.tenant-per-second=1",
				"voxdesk.contacts.search-timeout=500ms" })
class LimitsApiTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(32)).build();

	@BeforeEach
	void demoTenants() {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
	}

	@Test
	void aBurstBeyondTheLimitsGets429WithRetryAfterWhileAnotherTenantIsServed() throws Exception {
		var agent = KeycloakTestServer.accessToken("acme-agent");
		var admin = KeycloakTestServer.accessToken("acme-admin");
		var other = KeycloakTestServer.accessToken("globex-agent");
		var start = new CountDownLatch(1);
		var burst = new ArrayList<CompletableFuture<HttpResponse<String>>>();
		for (var i = 0; i < 30; i++) {
			burst.add(send(agent, "/api/tenants/me", start));
		}
		var otherTenant = send(other, "/api/tenants/me", start);

		start.countDown();

		var answers = burst.stream().map(CompletableFuture::join).toList();
		assertThat(otherTenant.join().statusCode()).as("another tenant's request during the burst").isEqualTo(200);
		assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200, 429);
		assertThat(answers.stream().filter(answer -> answer.statusCode() == 200).count())
			.as("the burst of 10 plus what refilled meanwhile").isBetween(10L, 14L);
		var refused = answers.stream().filter(answer -> answer.statusCode() == 429).findFirst().orElseThrow();
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
		var problem = JSON.readTree(refused.body());
		assertThat(problem.path("status").asInt()).isEqualTo(429);
		assertThat(problem.path("title").asString()).isEqualTo("Too many requests");
		assertThat(problem.path("detail").asString()).startsWith("You sent more than 1 requests per second");

		// The admin has a full bucket of their own, but the tenant's is nearly spent by the agent's burst.
		var second = new CountDownLatch(1);
		var adminBurst = new ArrayList<CompletableFuture<HttpResponse<String>>>();
		for (var i = 0; i < 10; i++) {
			adminBurst.add(send(admin, "/api/tenants/me", second));
		}
		second.countDown();
		var tenantRefused = adminBurst.stream()
			.map(CompletableFuture::join)
			.filter(answer -> answer.statusCode() == 429)
			.toList();
		assertThat(tenantRefused).isNotEmpty();
		assertThat(JSON.readTree(tenantRefused.getFirst().body()).path("detail").asString())
			.startsWith("Your organization's users together sent more than 1 requests per second");
		assertThat(tenantRefused.getFirst().headers().firstValue("Retry-After")).isPresent();
	}

	@Test
	void aSearchThatRunsIntoTheStatementTimeoutIsAnsweredAsTooBroad() throws Exception {
		var token = KeycloakTestServer.accessToken("globex-admin");
		// Another session holds the contacts table: the search waits on it exactly as a too broad search would run
		// on, and PostgreSQL cancels it at the statement timeout.
		try (var owner = TestDatabase.get().ownerConnection()) {
			owner.setAutoCommit(false);
			try (var lock = owner.createStatement()) {
				lock.execute("lock table contacts in access exclusive mode");
			}
			try {
				var answer = send(token, "/api/contacts?q=maria", new CountDownLatch(0)).join();

				assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
				assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
				var problem = JSON.readTree(answer.body());
				assertThat(problem.path("title").asString()).isEqualTo("Search too broad");
				assertThat(problem.path("detail").asString()).contains("within 500 ms");
			}
			finally {
				owner.rollback();
			}
		}
		assertThat(send(token, "/api/contacts?q=maria", new CountDownLatch(0)).join().statusCode())
			.as("the same search once nothing holds the table").isEqualTo(200);
	}

	private CompletableFuture<HttpResponse<String>> send(String token, String path, CountDownLatch start) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				start.await();
				return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.header("Authorization", "Bearer " + token)
					.timeout(java.time.Duration.ofSeconds(20))
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, Executors.newVirtualThreadPerTaskExecutor());
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What operators and integrators see: health, readiness, exposed endpoints, the API description. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OperationsTests {

	@LocalServerPort
	int port;

	@Test
	void readinessCoversTheDatabaseAndKeycloak() {
		var api = new VoxdeskApi(port);

		var anonymous = api.get(null, "/actuator/health/readiness");
		assertThat(anonymous.status()).isEqualTo(200);
		assertThat(anonymous.json().path("status").asString()).isEqualTo("UP");
		assertThat(anonymous.json().has("components")).as("details hidden from anonymous callers").isFalse();

		var operator = api.get("platform", "/actuator/health/readiness");
		assertThat(operator.json().path("components").path("db").path("status").asString()).isEqualTo("UP");
		assertThat(operator.json().path("components").path("keycloak").path("status").asString()).isEqualTo("UP");
		assertThat(api.get(null, "/actuator/health/liveness").status()).isEqualTo(200);
	}

	@Test
	void onlySafeActuatorEndpointsAreExposed() {
		var api = new VoxdeskApi(port);

		for (var endpoint : new String[] { "env", "beans", "configprops", "heapdump", "loggers", "mappings" }) {
			assertThat(api.get("platform", "/actuator/" + endpoint).status()).as(endpoint).isEqualTo(404);
		}
	}

	@Test
	void platformAdminsReadTheCachesAndPoolsMetricsAndNobodyElseDoes() {
		var api = new VoxdeskApi(port);
		api.get("acme-agent", "/api/tenants/me");

		for (var cache : new String[] { "voxdesk.tenants.statuses", "voxdesk.security.verified-tokens",
				"voxdesk.tenants.data-keys", "voxdesk.extensions.active-lines", "voxdesk.calls.enabled-connections" }) {
			var gets = api.get("platform", "/actuator/metrics/cache.gets?tag=cache:" + cache);
			assertThat(gets.status()).as(cache + ": " + gets.body()).isEqualTo(200);
		}
		var verified = api.get("platform", "/actuator/metrics/cache.gets?tag=cache:voxdesk.security.verified-tokens&tag=result:hit");
		assertThat(verified.json().path("measurements").get(0).path("value").asDouble()).isPositive();

		for (var pool : new String[] { "voxdesk.calls.observers", "voxdesk.asterisk.supervisor",
				"voxdesk.asterisk.recordings", "voxdesk.api4com.recordings" }) {
			var queued = api.get("platform", "/actuator/metrics/executor.queued?tag=name:" + pool);
			assertThat(queued.status()).as(pool + ": " + queued.body()).isEqualTo(200);
		}

		// The attack: a tenant admin and an anonymous caller ask for the platform's figures.
		assertThat(api.get("acme-admin", "/actuator/metrics").status()).isEqualTo(403);
		assertThat(api.get(null, "/actuator/metrics/cache.gets").status()).isEqualTo(401);
	}

	@Test
	void platformOperatorsScrapeVoxdesksOwnFiguresInPrometheusFormatAndNobodyElseDoes() throws Exception {
		var api = new VoxdeskApi(port);
		var refusedBefore = figure(api, "voxdesk_api4com_webhooks_total{outcome=\"unknown-token\"}");

		var webhook = api.post(null, "/webhooks/api4com/not-a-token", "{}");
		assertThat(webhook.status()).isEqualTo(404);

		var scrape = api.get("platform", "/actuator/prometheus");
		assertThat(scrape.status()).as(scrape.body()).isEqualTo(200);
		assertThat(scrape.contentType()).startsWith("text/plain");
		assertThat(figure(api, "voxdesk_api4com_webhooks_total{outcome=\"unknown-token\"}"))
			.isEqualTo(refusedBefore + 1);
		for (var series : new String[] { "voxdesk_calls_in_progress{status=\"ringing\"}",
				"voxdesk_calls_in_progress{status=\"answered\"}", "voxdesk_calls_in_progress{status=\"on_hold\"}",
				"voxdesk_events_incomplete", "voxdesk_events_failed", "voxdesk_events_oldest_incomplete_age_seconds",
				"voxdesk_api4com_webhooks_total{outcome=\"failed\"}", "voxdesk_calls_lease_takeovers_total",
				"voxdesk_asterisk_connections_held", "voxdesk_realtime_sessions{state=\"open\"}",
				"voxdesk_realtime_sessions{state=\"signed-in\"}", "voxdesk_calls_relayed_unanswered_total",
				"voxdesk_realtime_frames_conflated_total" }) {
			assertThat(value(scrape.body(), series)).as(series).isNotNull();
		}

		var signedInBefore = figure(api, "voxdesk_realtime_sessions{state=\"signed-in\"}");
		try (var feed = StompFeed.connect(port, "acme-agent")) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> figure(api, "voxdesk_realtime_sessions{state=\"signed-in\"}") == signedInBefore + 1);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> figure(api, "voxdesk_realtime_sessions{state=\"signed-in\"}") == signedInBefore);

		// The attack: a tenant admin, an agent and an anonymous caller ask for the platform's figures.
		assertThat(api.get("acme-admin", "/actuator/prometheus").status()).isEqualTo(403);
		assertThat(api.get("acme-agent", "/actuator/prometheus").status()).isEqualTo(403);
		assertThat(api.get(null, "/actuator/prometheus").status()).isEqualTo(401);
	}

	private static double figure(VoxdeskApi api, String series) {
		var value = value(api.get("platform", "/actuator/prometheus").body(), series);
		assertThat(value).as(series).isNotNull();
		return value;
	}

	/** The value of one series in a Prometheus text exposition, or null when it is not there. */
	static Double value(String exposition, String series) {
		var line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
		return line.find() ? Double.valueOf(line.group(1)) : null;
	}

	@Test
	void theOpenApiDocumentAndSwaggerUiAreServed() {
		var api = new VoxdeskApi(port);

		var document = api.get(null, "/v3/api-docs");
		assertThat(document.status()).isEqualTo(200);
		assertThat(document.json().path("paths").has("/api/tenants")).isTrue();
		assertThat(document.json().path("paths").has("/api/audit-entries/{id}")).isTrue();
		assertThat(document.json().path("components").path("securitySchemes").has("keycloak")).isTrue();

		assertThat(api.get(null, "/swagger-ui/index.html").status()).isEqualTo(200);
	}

	@Test
	void everyJsonRequestBodyHasAnExample() {
		var document = new VoxdeskApi(port).get(null, "/v3/api-docs").json();
		var schemas = document.path("components").path("schemas");
		var checked = new java.util.ArrayList<String>();
		var missing = new java.util.ArrayList<String>();
		document.path("paths").properties().forEach(path -> {
			if (!path.getKey().startsWith("/api/")) {
				return;
			}
			path.getValue().properties().forEach(operation -> {
				var schema = operation.getValue().path("requestBody").path("content").path("application/json").path("schema");
				if (schema.isMissingNode()) {
					return;
				}
				var name = schema.path("$ref").asString().replace("#/components/schemas/", "");
				checked.add(operation.getKey() + " " + path.getKey());
				if (schemas.path(name).path("example").isMissingNode()) {
					missing.add(operation.getKey() + " " + path.getKey() + " (" + name + ")");
				}
			});
		});
		assertThat(checked).hasSizeGreaterThanOrEqualTo(15);
		assertThat(missing).isEmpty();
		var upload = document.path("paths").path("/api/contacts/imports").path("post").toString();
		assertThat(upload).contains("Nome completo=name;Celular=phone");
	}

	@Test
	void unknownPathsAreProblemsToo() {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");

		var missing = api.get("acme-admin", "/api/nothing-here");

		assertThat(missing.status()).as(missing.body()).isEqualTo(404);
		assertThat(missing.isProblem()).isTrue();
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import io.voxdesk.testing.KeycloakTestServer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input never makes Voxdesk fail: every operation of {@code /v3/api-docs} is sent malformed JSON, wrong types,
 * nulls inside lists and maps, huge and NUL-carrying values, absurd paging, unknown sort properties and odd query
 * parameters, as a tenant admin (and as the platform admin for the tenant registry). No answer may be a 5xx, and
 * every 4xx must be an RFC 9457 problem. The cases are fixed, so a failure names what to replay.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voxdesk.rate-limits.enabled=false", "voxdesk.calls.calls-in-progress-per-agent=0" })
class ApiFuzzTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * A tenant of its own: valid parts of the fuzzed bodies create contacts, tickets, extensions and connections
	 * (with the examples' phone numbers and names), which must not collide with other tests' data.
	 */
	private static final String TENANT = "fuzzco";

	private static final String ADMIN = "fuzz-admin";

	private static final String HUGE = "x".repeat(200_000);

	private static final List<String> BODIES = List.of("{", "[]", "\"text\"", "42", "null", "{\"unknown\": true}",
			"{\"a\": \"\\u0000\"}");

	private static final List<String> QUERIES = List.of("page=2147483647", "page=-1", "page=abc", "size=100000000",
			"size=-5", "sort=nope,desc", "sort=name;drop", "sort=", "q=%00", "status=%FF", "unknown=1&unknown=2",
			"page=99999999999999999999");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Test
	void noBadInputGetsAServerErrorAndEveryRefusalIsAProblem() throws Exception {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant(TENANT);
		var document = api.get(null, "/v3/api-docs").json();
		var failures = new ArrayList<String>();
		var sent = 0;
		for (var path : document.path("paths").properties()) {
			if (!path.getKey().startsWith("/api/")) {
				continue;
			}
			for (var operation : path.getValue().properties()) {
				var method = operation.getKey().toUpperCase();
				var user = path.getKey().startsWith("/api/tenants") && !path.getKey().startsWith("/api/tenants/me")
						? "platform" : ADMIN;
				for (var request : cases(document, path.getKey(), method, operation.getValue())) {
					sent++;
					var answer = send(user, method, request.path(), request.body());
					var type = answer.headers().firstValue("Content-Type").orElse("");
					if (answer.statusCode() >= 500) {
						failures.add(answer.statusCode() + " " + request + " -> " + abbreviate(answer.body()));
					}
					else if (answer.statusCode() >= 400 && !type.startsWith("application/problem+json")) {
						failures.add("not a problem (" + answer.statusCode() + ", " + type + ") " + request);
					}
				}
			}
		}

		assertThat(sent).as("requests sent").isGreaterThan(500);
		assertThat(failures).as("answers that broke the contract").isEmpty();
	}

	/** A request the fuzzer sends. */
	record Case(String path, String body) {

		@Override
		public String toString() {
			return path + " " + abbreviate(body);
		}
	}

	private List<Case> cases(JsonNode document, String template, String method, JsonNode operation) {
		var cases = new ArrayList<Case>();
		var paths = List.of(template.replaceAll("\\{[^}]+}", UUID.randomUUID().toString()),
				template.replaceAll("\\{[^}]+}", "not-an-id"), template.replaceAll("\\{[^}]+}", "%00"));
		var hasBody = operation.has("requestBody");
		for (var path : paths) {
			cases.add(new Case(path, hasBody ? "{}" : ""));
		}
		var base = paths.getFirst();
		for (var query : QUERIES) {
			cases.add(new Case(base + "?" + query, hasBody ? "{}" : ""));
		}
		if (!hasBody) {
			return cases;
		}
		for (var body : BODIES) {
			cases.add(new Case(base, body));
		}
		var schema = resolve(document,
				operation.path("requestBody").path("content").path("application/json").path("schema"));
		for (var property : schema.path("properties").propertyNames()) {
			for (var value : List.<Object>of(JSON.nullNode(), 123, true, "\u0000", HUGE, List.of(), Map.of())) {
				cases.add(new Case(base, bodyWith(schema, property, value)));
			}
			var nested = resolve(document, schema.path("properties").path(property));
			if ("array".equals(nested.path("type").asString())) {
				cases.add(new Case(base, bodyWith(schema, property, java.util.Arrays.asList(null, null))));
			}
			if ("object".equals(nested.path("type").asString())) {
				var withNull = new LinkedHashMap<String, Object>();
				withNull.put("key", null);
				cases.add(new Case(base, bodyWith(schema, property, withNull)));
			}
		}
		return cases;
	}

	/** A body whose other properties come from the schema's example (else empty), with one property replaced. */
	private static String bodyWith(JsonNode schema, String property, Object value) {
		var example = schema.path("example");
		ObjectNode body = example.isObject() ? (ObjectNode) example.deepCopy()
				: example.isString() && example.asString().strip().startsWith("{")
						? (ObjectNode) JSON.readTree(example.asString()) : JSON.createObjectNode();
		body.set(property, JSON.valueToTree(value));
		return body.toString();
	}

	private static JsonNode resolve(JsonNode document, JsonNode schema) {
		var ref = schema.path("$ref").asString("");
		if (ref.startsWith("#/components/schemas/")) {
			return document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
		}
		return schema;
	}

	private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
		var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + encodeOddCharacters(path)))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + KeycloakTestServer.accessToken(user))
			.header("Content-Type", "application/json")
			.method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** The path and query as typed, except characters a URI cannot carry at all (spaces, semicolons stay legal). */
	private static String encodeOddCharacters(String path) {
		return path.replace(" ", URLEncoder.encode(" ", StandardCharsets.UTF_8));
	}

	private static String abbreviate(String text) {
		return text.length() > 200 ? text.substring(0, 200) + "…" : text;
	}

	/**
	 * Numbers and booleans are not text, a NUL byte is refused as bad input rather than as a conflict, and the error
	 * page itself answers with a problem: before, a fuzzer created tenants named {@code 123} and {@code true}.
	 */
	@Test
	void wrongTypesAndNulBytesAreBadInputAndTheErrorPageIsAProblem() throws Exception {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant(TENANT);

		var numberAsName = api.post("platform", "/api/tenants", "{\"id\": \"fz-number\", \"name\": 123}");
		var booleanAsId = api.post("platform", "/api/tenants", "{\"id\": true, \"name\": \"Fuzz\"}");
		var nulInName = api.post(ADMIN, "/api/contacts", "{\"name\": \"Ma\\u0000ria\"}");
		var errorPage = api.get(null, "/error");

		for (var answer : List.of(numberAsName, booleanAsId, nulInName)) {
			assertThat(answer.status()).as(answer.body()).isEqualTo(400);
			assertThat(answer.isProblem()).isTrue();
		}
		assertThat(numberAsName.detail()).contains("name");
		assertThat(api.get("platform", "/api/tenants/fz-number").status()).isEqualTo(404);
		assertThat(errorPage.status()).isEqualTo(404);
		assertThat(errorPage.isProblem()).as(errorPage.contentType()).isTrue();
	}
}

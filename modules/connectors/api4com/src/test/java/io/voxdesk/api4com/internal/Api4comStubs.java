package io.voxdesk.api4com.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake API4COM on WireMock, following {@code shared/reference/api4com-contract.md}: LoopBack 3's raw
 * {@code Authorization} token (a {@code Bearer} prefix is refused with 401) and error bodies; ADMIN and USER tokens
 * (only ADMIN may touch {@code /integrations}); the 422 of {@code PATCH /integrations} without the id of an existing
 * gateway; a slow dialer whose id is not the call id and that refuses offline webphones with "user not registered";
 * {@code GET /calls} pages with {@code meta} or {@code metadata}, a false {@code Z} on Brasília times, and 429 when
 * paged faster than allowed; hangups answering 404 for ended calls; recording links that expire.
 */
final class Api4comStubs implements AutoCloseable {

	static final String ADMIN_TOKEN = "YggyHfrLEHAWmKiUFbX" + UUID.randomUUID().toString().replace("-", "");

	static final String USER_TOKEN = "UsrTk" + UUID.randomUUID().toString().replace("-", "");

	static final String DOMAIN = "voxdesk-test.api4com.com";

	/** The start of an MP3 file with an ID3 tag: what recording links serve. */
	static final byte[] RECORDING_BYTES = { 'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0 };

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{9,14}");

	private static final Pattern HANGUP = Pattern.compile("/api/v1/calls/([^/]+)/hangup");

	private static final Pattern RECORDING = Pattern.compile("/files/listen/([^/]+)\\.mp3");

	private final WireMockServer server;

	private final Fake fake = new Fake();

	private Api4comStubs() {
		server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
		server.start();
		server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(Fake.NAME)));
	}

	static Api4comStubs start() {
		return new Api4comStubs();
	}

	/** The API base URL, as a connection's {@code baseUrl} setting. */
	String baseUrl() {
		return "http://127.0.0.1:" + server.port() + "/api/v1";
	}

	String recordingUrl(String id) {
		return "http://127.0.0.1:" + server.port() + "/files/listen/" + id + ".mp3";
	}

	WireMockServer server() {
		return server;
	}

	/** Back to a fresh account: no integrations, no call records, a prompt dialer. */
	void reset() {
		server.resetRequests();
		fake.reset();
	}

	void dialerDelay(Duration delay) {
		fake.dialerDelay = delay;
	}

	/** API4COM answers {@code GET /users/me} this late. */
	void slowness(Duration delay) {
		fake.slowness = delay;
	}

	/** The extension's webphone is offline: the dialer refuses, after its usual delay. */
	void webphoneOffline(String extension) {
		fake.offline.add(extension);
	}

	/** API4COM's call records, newest first after filtering, {@code pageSize} to a page. */
	void callRecords(List<ObjectNode> rows, int pageSize, Duration minInterval) {
		fake.records.clear();
		fake.records.addAll(rows);
		fake.pageSize = pageSize;
		fake.minInterval = minInterval;
	}

	/** A call API4COM has up; hanging it up ends it, and a second hangup gets 404. */
	void liveCall(String id) {
		fake.live.add(id);
	}

	/** Another program (or another Voxdesk) points gateway {@code voxdesk}'s webhook at its own URL. */
	void takeOverWebhook(String url) {
		var integration = fake.integrations.get("voxdesk");
		((ObjectNode) integration.path("metadata")).put("webhookUrl", url);
	}

	void expireRecordings() {
		fake.recordingsExpired = true;
	}

	int rateLimited() {
		return fake.rateLimited.get();
	}

	List<String> callFilters() {
		return List.copyOf(fake.filters);
	}

	List<LoggedRequest> requests(RequestMethod method, String path) {
		return server.getAllServeEvents()
			.stream()
			.map(ServeEvent::getRequest)
			.filter(request -> request.getMethod().equals(method) && request.getUrl().split("\\?")[0].equals(path))
			.sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
			.toList();
	}

	List<JsonNode> bodies(RequestMethod method, String path) {
		return requests(method, path).stream().map(request -> JSON.readTree(request.getBodyAsString())).toList();
	}

	/** The token of the webhook URL API4COM has now for gateway {@code voxdesk}. */
	@Nullable String webhookToken() {
		var integration = fake.integrations.get("voxdesk");
		if (integration == null) {
			return null;
		}
		var url = integration.path("metadata").path("webhookUrl").asString();
		return url.substring(url.lastIndexOf('/') + 1);
	}

	@Override
	public void close() {
		server.stop();
	}

	/** A call record as {@code GET /calls} lists it; times are Brasília wall-clock labelled {@code Z}. */
	static ObjectNode callRecord(String id, @Nullable String voxdeskCall, String startedAt, String endedAt, int duration,
			String hangupCause, @Nullable String recordUrl) {
		var row = JSON.createObjectNode();
		row.put("id", id);
		row.put("domain", DOMAIN);
		row.put("call_type", "outbound");
		row.put("started_at", startedAt);
		row.put("ended_at", endedAt);
		row.put("from", "1001");
		row.put("to", "04833328530");
		row.put("duration", duration);
		row.put("hangup_cause", hangupCause);
		if (recordUrl != null) {
			row.put("record_url", recordUrl);
		}
		row.put("minute_price", 0.12);
		row.put("call_price", 0.12);
		var metadata = row.putObject("metadata");
		metadata.put("gateway", "voxdesk");
		if (voxdeskCall != null) {
			metadata.put("voxdeskCallId", voxdeskCall);
		}
		return row;
	}

	/** The fake account: routes every request, with state. */
	private static final class Fake implements ResponseDefinitionTransformerV2 {

		static final String NAME = "api4com-fake";

		final Map<String, ObjectNode> integrations = new ConcurrentHashMap<>();

		final AtomicInteger integrationIds = new AtomicInteger(1);

		final Set<String> offline = ConcurrentHashMap.newKeySet();

		final Set<String> live = ConcurrentHashMap.newKeySet();

		final List<ObjectNode> records = new CopyOnWriteArrayList<>();

		final List<String> filters = new CopyOnWriteArrayList<>();

		final AtomicInteger rateLimited = new AtomicInteger();

		volatile Duration dialerDelay = Duration.ZERO;

		volatile Duration slowness = Duration.ZERO;

		volatile int pageSize = 100;

		volatile Duration minInterval = Duration.ZERO;

		volatile long lastCallsRequest;

		volatile boolean recordingsExpired;

		void reset() {
			integrations.clear();
			integrationIds.set(1);
			offline.clear();
			live.clear();
			records.clear();
			filters.clear();
			rateLimited.set(0);
			dialerDelay = Duration.ZERO;
			slowness = Duration.ZERO;
			pageSize = 100;
			minInterval = Duration.ZERO;
			lastCallsRequest = 0;
			recordingsExpired = false;
		}

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public boolean applyGlobally() {
			return false;
		}

		@Override
		public synchronized ResponseDefinition transform(ServeEvent event) {
			var request = event.getRequest();
			var path = request.getUrl().split("\\?")[0];
			var recording = RECORDING.matcher(path);
			if (recording.matches()) {
				// Recording links need no token, and the webhook's expire within hours.
				return recordingsExpired ? error(403, "AccessDenied", "Request has expired")
						: new ResponseDefinitionBuilder().withStatus(200)
							.withHeader("Content-Type", "audio/mpeg")
							.withBody(RECORDING_BYTES)
							.build();
			}
			var role = role(request.getHeader("Authorization"));
			if (role == null) {
				return error(401, "Error", "Authorization Required", "AUTHORIZATION_REQUIRED");
			}
			var method = request.getMethod();
			if (method.equals(RequestMethod.GET) && path.equals("/api/v1/users/me")) {
				var me = JSON.createObjectNode();
				me.put("id", role.equals("ADMIN") ? 1 : 2);
				me.put("email", role.equals("ADMIN") ? "ops@example.com" : "agent@example.com");
				me.put("first_name", "Ops");
				me.put("role", role);
				return ResponseDefinitionBuilder.like(json(200, me)).withFixedDelay((int) slowness.toMillis()).build();
			}
			if (method.equals(RequestMethod.GET) && path.equals("/api/v1/accounts")) {
				var account = JSON.createObjectNode();
				account.put("id", 9);
				account.put("domain", DOMAIN);
				return json(200, JSON.createArrayNode().add(account));
			}
			if (path.equals("/api/v1/integrations")) {
				if (!role.equals("ADMIN")) {
					return error(401, "Error", "Authorization Required", "AUTHORIZATION_REQUIRED");
				}
				if (method.equals(RequestMethod.GET)) {
					var list = JSON.createArrayNode();
					integrations.values().forEach(list::add);
					return json(200, list);
				}
				if (method.equals(RequestMethod.PATCH)) {
					return upsertIntegration(request);
				}
			}
			if (method.equals(RequestMethod.POST) && path.equals("/api/v1/dialer")) {
				return dial(request);
			}
			if (method.equals(RequestMethod.GET) && path.equals("/api/v1/calls")) {
				return calls(request);
			}
			var hangup = HANGUP.matcher(path);
			if (method.equals(RequestMethod.POST) && hangup.matches()) {
				if (!live.remove(hangup.group(1))) {
					return error(404, "Error", "Call not found");
				}
				var answer = JSON.createObjectNode();
				answer.put("status", "200");
				answer.put("message", "successful request");
				answer.put("id", hangup.group(1));
				return json(200, answer);
			}
			return error(404, "Error", "Shared class \"Call\" has no method handling " + method + " " + path);
		}

		private static @Nullable String role(@Nullable String authorization) {
			if (ADMIN_TOKEN.equals(authorization)) {
				return "ADMIN";
			}
			return USER_TOKEN.equals(authorization) ? "USER" : null;
		}

		private ResponseDefinition upsertIntegration(Request request) {
			var body = (ObjectNode) JSON.readTree(request.getBodyAsString());
			var gateway = body.path("gateway").asString("");
			if (gateway.isEmpty()) {
				return error(422, "ValidationError", "gateway is required");
			}
			if (gateway.matches(".*[0-9a-f]{8}-[0-9a-f]{4}-.*")) {
				return error(500, "Error", "Internal Server Error");
			}
			var existing = integrations.get(gateway);
			if (body.path("id").isMissingNode() || body.path("id").isNull()) {
				if (existing != null) {
					return error(422, "Error", "User integration already exists, please send ID to update");
				}
				body.put("id", integrationIds.getAndIncrement());
			}
			else if (existing == null || existing.path("id").asInt() != body.path("id").asInt()) {
				return error(404, "Error", "Unknown \"UserIntegration\" id \"" + body.path("id").asString() + "\".");
			}
			integrations.put(gateway, body);
			return json(200, body);
		}

		private ResponseDefinition dial(Request request) {
			var body = JSON.readTree(request.getBodyAsString());
			var delay = (int) dialerDelay.toMillis();
			if (!PHONE.matcher(body.path("phone").asString("")).matches()) {
				return error(422, "ValidationError", "phone must be in E.164, e.g. +554833328530");
			}
			if (offline.contains(body.path("extension").asString(""))) {
				return new ResponseDefinitionBuilder().withStatus(400)
					.withHeader("Content-Type", "application/json")
					.withBody("{\"message\":\"Error: user not registered\"}")
					.withFixedDelay(delay)
					.build();
			}
			var answer = JSON.createObjectNode();
			// The dialer's id: not the id webhooks, call records and hangups use.
			answer.put("id", "dialer-" + UUID.randomUUID());
			answer.put("message", "Chamada iniciada");
			return new ResponseDefinitionBuilder().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(JSON.writeValueAsString(answer))
				.withFixedDelay(delay)
				.build();
		}

		private ResponseDefinition calls(Request request) {
			var now = System.nanoTime();
			var last = lastCallsRequest;
			lastCallsRequest = now;
			if (last != 0 && now - last < minInterval.toNanos()) {
				rateLimited.incrementAndGet();
				return new ResponseDefinitionBuilder().withStatus(429)
					.withHeader("Content-Type", "application/json")
					.withHeader("RateLimit-Limit", "120")
					.withHeader("RateLimit-Remaining", "0")
					.withHeader("RateLimit-Reset", "1")
					.withBody("{\"error\":{\"statusCode\":429,\"name\":\"TooManyRequests\","
							+ "\"message\":\"Too many requests, please try again later.\"}}")
					.build();
			}
			var pageParameter = request.queryParameter("page");
			if (!pageParameter.isPresent()) {
				return error(400, "Error", "page is required");
			}
			var page = Integer.parseInt(pageParameter.firstValue());
			var since = "";
			var filter = request.queryParameter("filter");
			if (filter.isPresent()) {
				filters.add(filter.firstValue());
				since = JSON.readTree(filter.firstValue()).path("where").path("started_at").path("gte").asString("");
			}
			var from = since;
			var matching = new ArrayList<ObjectNode>(records.stream()
				.filter(row -> row.path("started_at").asString().compareTo(from) >= 0)
				.sorted(Comparator.comparing((ObjectNode row) -> row.path("started_at").asString()).reversed())
				.toList());
			var pages = Math.max(1, (matching.size() + pageSize - 1) / pageSize);
			var answer = JSON.createObjectNode();
			var data = answer.putArray("data");
			matching.stream().skip((long) (page - 1) * pageSize).limit(pageSize).forEach(data::add);
			// The documentation calls the block "metadata", a live probe saw "meta": odd pages say one, even the other.
			var meta = answer.putObject(page % 2 == 1 ? "meta" : "metadata");
			meta.put("totalItemCount", matching.size());
			meta.put("totalPageCount", pages);
			meta.put("itemsPerPage", pageSize);
			meta.put("currentPage", page);
			if (page < pages) {
				meta.put("nextPage", page + 1);
			}
			else if (page % 2 == 0) {
				meta.putNull("nextPage");
			}
			if (page > 1) {
				meta.put("previousPage", page - 1);
			}
			return json(200, answer);
		}

		private static ResponseDefinition json(int status, JsonNode body) {
			return new ResponseDefinitionBuilder().withStatus(status)
				.withHeader("Content-Type", "application/json; charset=utf-8")
				.withBody(JSON.writeValueAsString(body))
				.build();
		}

		private static ResponseDefinition error(int status, String name, String message) {
			return error(status, name, message, null);
		}

		/** LoopBack 3's error body. */
		private static ResponseDefinition error(int status, String name, String message, @Nullable String code) {
			var body = JSON.createObjectNode();
			var error = body.putObject("error");
			error.put("statusCode", status);
			error.put("name", name);
			error.put("message", message);
			if (code != null) {
				error.put("code", code);
			}
			return json(status, body);
		}
	}
}

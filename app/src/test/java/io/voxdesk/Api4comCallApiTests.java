package io.voxdesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Click-to-call through API4COM end to end: real HTTP and Keycloak tokens, the calls module, the API4COM connector
 * and a fake API4COM on WireMock that follows the contract notes. Tenant globex's connection points at the fake;
 * the test plays API4COM's webhooks, posting them to the URL the connector registered.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class Api4comCallApiTests {

	static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

	static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	static FakeApi4com api4com;

	@LocalServerPort
	int port;

	VoxdeskApi api;

	String connection;

	@BeforeAll
	static void startApi4com() {
		api4com = new FakeApi4com();
	}

	@AfterAll
	static void stopApi4com() {
		api4com.close();
	}

	@BeforeEach
	void globexConnectedToApi4com() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("globex");
		for (var existing : api.get("globex-admin", "/api/provider-connections").json()) {
			api.delete("globex-admin", "/api/provider-connections/" + existing.path("id").asString());
		}
		api4com.reset();
		var created = api.post("globex-admin", "/api/provider-connections", connectionBody());
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		connection = created.json().path("id").asString();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			var check = api.postEmpty("globex-admin", "/api/provider-connections/" + connection + "/test");
			assertThat(check.json().path("ok").asBoolean()).as(check.body()).isTrue();
		});
		var extension = api.put("globex-agent", "/api/me/extension", "{\"extension\": \"2001\", \"active\": true}");
		assertThat(extension.status()).as(extension.body()).isEqualTo(200);
	}

	String connectionBody() {
		return """
				{"kind": "api4com", "name": "API4COM", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s"}}""".formatted(FakeApi4com.TOKEN, api4com.baseUrl());
	}

	String ticket() {
		var contact = api.post("globex-agent", "/api/contacts",
				"{\"name\": \"API4COM Customer\", \"phones\": [{\"number\": \"+55 48 9%s\"}]}"
					.formatted(VoxdeskApi.freshSubscriberDigits()));
		assertThat(contact.status()).as(contact.body()).isEqualTo(201);
		var created = api.post("globex-agent", "/api/tickets", "{\"subject\": \"Callback\", \"contactId\": \"%s\"}"
			.formatted(contact.json().path("id").asString()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	/** Clicks to call and waits until API4COM's dialer was asked; returns the call's id. */
	String call(String ticket, String number) {
		var started = api.post("globex-agent", "/api/tickets/" + ticket + "/calls", "{\"number\": \"%s\"}".formatted(number));
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		var id = started.json().path("id").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> api4com.dialed(id) != null);
		return id;
	}

	JsonNode details(String call) {
		return api.get("globex-agent", "/api/calls/" + call).json();
	}

	/** A webhook the way API4COM sends it: São Paulo wall-clock times without a zone, "" for no answer. */
	static String webhook(String type, String api4comId, String call, ZonedDateTime started, @Nullable ZonedDateTime answered,
			@Nullable ZonedDateTime ended, String cause, String causeCode) {
		return """
				{"version":"v1.4","eventType":"%s","id":"%s","domain":"globex.api4com.com","direction":"outbound",
				 "caller":"2001","called":"048999220001","startedAt":"%s","answeredAt":"%s","endedAt":"%s",
				 "duration":%d,"hangupCause":"%s","hangupCauseCode":"%s",
				 "metadata":{"gateway":"voxdesk","voxdeskCallId":"%s","voxdeskTenant":"globex"}}""".formatted(type,
				api4comId, WALL_CLOCK.format(started), answered == null ? "" : WALL_CLOCK.format(answered),
				ended == null ? "" : WALL_CLOCK.format(ended),
				answered == null || ended == null ? 0 : Duration.between(answered, ended).toSeconds(), cause, causeCode,
				call);
	}

	VoxdeskApi.Response post(String token, String body) {
		return api.post(null, "/webhooks/api4com/" + token, body);
	}

	List<String> callEntries(String ticket) {
		return api.get("globex-agent", "/api/tickets/" + ticket + "/timeline")
			.json()
			.valueStream()
			.filter(entry -> entry.path("type").asString().startsWith("call."))
			.map(entry -> entry.path("type").asString() + ": " + entry.path("summary").asString())
			.toList();
	}

	/**
	 * Requests to API4COM go through the application's RestClient builder, so they are observed like every client:
	 * {@code http.client.requests} by method, status and host, with no path in the tags (a call's id is in some).
	 */
	@Test
	void requestsToApi4comAreObservedWithoutTheirPath() {
		var check = api.postEmpty("globex-admin", "/api/provider-connections/" + connection + "/test");
		assertThat(check.json().path("ok").asBoolean()).as(check.body()).isTrue();

		var metric = api.get("platform", "/actuator/metrics/http.client.requests?tag=client.name:127.0.0.1&tag=method:GET");
		assertThat(metric.status()).as(metric.body()).isEqualTo(200);
		assertThat(metric.json().path("measurements").get(0).path("value").asDouble()).as(metric.body()).isPositive();
		var uris = metric.json()
			.path("availableTags")
			.valueStream()
			.filter(tag -> tag.path("tag").asString().equals("uri"))
			.flatMap(tag -> tag.path("values").valueStream())
			.map(JsonNode::asString)
			.toList();
		assertThat(uris).as(metric.body())
			.isNotEmpty()
			.noneMatch(uri -> uri.contains("integrations") || uri.contains("api/v1") || uri.contains(FakeApi4com.TOKEN));
	}

	@Test
	void aClickToCallGoesThroughTheDialerAndItsWebhooksMakeACompletedCallOnTheTicket() {
		var check = api.postEmpty("globex-admin", "/api/provider-connections/" + connection + "/test").json();
		assertThat(check.path("summary").asString()).isEqualTo("Connected to API4COM (globex.api4com.com); calls can "
				+ "be placed and their events arrive by webhook.");
		var ticket = ticket();

		var id = call(ticket, "(48) 99922-0001");

		var dialed = api4com.dialed(id);
		assertThat(dialed.path("extension").asString()).isEqualTo("2001");
		assertThat(dialed.path("phone").asString()).isEqualTo("+5548999220001");
		assertThat(dialed.path("metadata").path("gateway").asString()).isEqualTo("voxdesk");
		assertThat(dialed.path("metadata").path("voxdeskTenant").asString()).isEqualTo("globex");
		var token = api4com.webhookToken();
		var t0 = ZonedDateTime.now(SAO_PAULO).truncatedTo(ChronoUnit.SECONDS);

		var created = post(token, webhook("channel-create", "c-1", id, t0, null, null, "", ""));
		assertThat(created.status()).as(created.body()).isEqualTo(202);
		assertThat(post(token, webhook("channel-answer", "c-1", id, t0, t0.plusSeconds(5), null, "", "")).status())
			.isEqualTo(202);
		assertThat(details(id).path("status").asString()).isEqualTo("ANSWERED");
		var transfer = api.post("globex-agent", "/api/calls/" + id + "/transfer", "{\"destination\": \"2002\"}");
		assertThat(transfer.status()).as("API4COM's API has no transfer").isEqualTo(409);
		assertThat(transfer.detail()).isEqualTo("Voxdesk cannot transfer calls on api4com connections: the provider's "
				+ "API has no way to.");
		var toQueue = api.post("globex-agent", "/api/calls/" + id + "/transfer", "{\"queueId\": \"%s\"}"
			.formatted(java.util.UUID.randomUUID()));
		assertThat(toQueue.status()).as("API4COM routes its calls itself: no queue to transfer to").isEqualTo(409);
		assertThat(toQueue.detail()).isEqualTo("Voxdesk cannot transfer calls to a queue on api4com connections: the "
				+ "provider's API has no way to.");
		assertThat(details(id).path("transfer").isNull()).as("no attempt recorded").isTrue();
		var hungUp = post(token, webhook("channel-hangup", "c-1", id, t0, t0.plusSeconds(5), t0.plusSeconds(47),
				"NORMAL_CLEARING", "16"));
		assertThat(hungUp.status()).isEqualTo(202);
		assertThat(hungUp.json().path("result").asString()).isEqualTo("applied");

		var ended = details(id);
		assertThat(ended.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(ended.path("provider").asString()).isEqualToIgnoringCase("api4com");
		assertThat(ended.path("talkSeconds").asLong()).isEqualTo(42);
		assertThat(Instant.parse(ended.path("answeredAt").asString())).isEqualTo(t0.plusSeconds(5).toInstant());
		assertThat(ended.path("hangupCause").asString()).isEqualTo("16 NORMAL_CLEARING");
		await().untilAsserted(() -> assertThat(callEntries(ticket)).containsExactly(
				"call.started: Gustavo Globex called +5548999220001", "call.answered: Call answered",
				"call.ended: Call ended: talked 42 s"));
	}

	@Test
	void aHangupBeforeItsAnswerStillEndsCompletedAndARedeliveryChangesNothing() {
		var id = call(ticket(), "+55 48 99922-0002");
		var token = api4com.webhookToken();
		var t0 = ZonedDateTime.now(SAO_PAULO).truncatedTo(ChronoUnit.SECONDS);
		var hangup = webhook("channel-hangup", "h-2", id, t0, t0.plusSeconds(3), t0.plusSeconds(33), "NORMAL_CLEARING",
				"16");

		assertThat(post(token, hangup).json().path("result").asString()).isEqualTo("applied");
		var ended = details(id);
		assertThat(ended.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(ended.path("talkSeconds").asLong()).isEqualTo(30);

		assertThat(post(token, webhook("channel-answer", "h-2", id, t0, t0.plusSeconds(3), null, "", "")).status())
			.isEqualTo(202);
		var redelivered = post(token, hangup);
		assertThat(redelivered.status()).isEqualTo(202);
		assertThat(redelivered.json().path("result").asString()).isEqualTo("duplicate");
		assertThat(details(id)).isEqualTo(ended);
	}

	@Test
	void hangingUpFromVoxdeskNamesTheCallByTheIdApi4comsWebhooksGave() {
		var id = call(ticket(), "+55 48 99922-0003");

		var tooEarly = api.postEmpty("globex-agent", "/api/calls/" + id + "/hangup");
		assertThat(tooEarly.status()).isEqualTo(502);
		assertThat(tooEarly.detail()).contains("has not reported this call yet");

		var t0 = ZonedDateTime.now(SAO_PAULO).truncatedTo(ChronoUnit.SECONDS);
		post(api4com.webhookToken(), webhook("channel-create", "1PkXhmBsYAvr9legLB2d7BimT0Q", id, t0, null, null, "", ""));
		api4com.liveCall("1PkXhmBsYAvr9legLB2d7BimT0Q");
		var hungUp = api.postEmpty("globex-agent", "/api/calls/" + id + "/hangup");
		assertThat(hungUp.status()).as(hungUp.body()).isEqualTo(200);
		assertThat(api4com.hangups()).containsExactly("1PkXhmBsYAvr9legLB2d7BimT0Q");

		post(api4com.webhookToken(), webhook("channel-hangup", "1PkXhmBsYAvr9legLB2d7BimT0Q", id, t0, null,
				t0.plusSeconds(4), "ORIGINATOR_CANCEL", "487"));
		assertThat(details(id).path("status").asString()).isEqualTo("CANCELLED");
	}

	@Test
	void aWrongTokenIs404AndNeitherTokenEverShowsInAnswersOrLogs(CapturedOutput output) {
		var id = call(ticket(), "+55 48 99922-0004");
		var token = api4com.webhookToken();
		var t0 = ZonedDateTime.now(SAO_PAULO).truncatedTo(ChronoUnit.SECONDS);
		var hangup = webhook("channel-hangup", "w-4", id, t0, t0.plusSeconds(2), t0.plusSeconds(9), "NORMAL_CLEARING", "16");

		var wrong = post(token.substring(1) + "x", hangup);
		assertThat(wrong.status()).isEqualTo(404);
		assertThat(wrong.isProblem()).isTrue();
		assertThat(details(id).path("status").asString()).isEqualTo("RINGING");
		var malformed = post(token, "{\"eventType\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.isProblem()).isTrue();
		assertThat(malformed.body()).doesNotContain(token);
		assertThat(post(token, hangup).status()).isEqualTo(202);

		var answers = String.join("\n", api.get("globex-admin", "/api/provider-connections").body(),
				api.get("globex-admin", "/api/provider-connections/" + connection).body(),
				api.postEmpty("globex-admin", "/api/provider-connections/" + connection + "/test").body(),
				api.get("globex-agent", "/api/calls/" + id).body(), api.get("globex-admin", "/api/audit-entries").body());
		assertThat(answers).contains("\"secretSet\":true").doesNotContain(FakeApi4com.TOKEN).doesNotContain(token);
		assertThat(output.getAll()).doesNotContain(FakeApi4com.TOKEN).doesNotContain(token);
	}

	@Test
	void aHangupWithCausesLongerThanTheirColumnsIsAppliedWithTheCausesCut() {
		var id = call(ticket(), "+55 48 99922-0005");
		var t0 = ZonedDateTime.now(SAO_PAULO).truncatedTo(ChronoUnit.SECONDS);
		var longCause = "NORMAL_CLEARING_" + "X".repeat(134);
		var longCode = "16" + "9".repeat(58);

		var hungUp = post(api4com.webhookToken(),
				webhook("channel-hangup", "l-5", id, t0, t0.plusSeconds(2), t0.plusSeconds(9), longCause, longCode));

		assertThat(hungUp.status()).as(hungUp.body()).isEqualTo(202);
		var details = details(id);
		assertThat(details.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(details.path("hangupCause").asString())
			.isEqualTo(longCode.substring(0, 40) + " " + longCause.substring(0, 100));
	}

	@Test
	void noAnswerOnTheWebhookUrlNamesItsToken() {
		var token = api4com.webhookToken();
		var url = "/webhooks/api4com/" + token;

		var answers = List.of(api.get(null, url), api.put(null, url, "{}"), post(token, "{\"pad\": \"" + "x".repeat(70_000) + "\"}"),
				post(token, "[1, 2]"));

		assertThat(answers).extracting(VoxdeskApi.Response::status).containsExactly(405, 405, 413, 400);
		for (var answer : answers) {
			assertThat(answer.isProblem()).as(answer.body()).isTrue();
			assertThat(answer.body()).doesNotContain(token);
		}
	}

	/**
	 * The attack: a request announcing a 50 MB body, of which only the first bytes are ever sent. An unknown token
	 * and an oversized body are both refused at once, without waiting for (or buffering) the rest.
	 */
	@Test
	void theTokenAndTheSizeAreCheckedBeforeTheBodyIsRead() throws IOException {
		var known = api4com.webhookToken();
		// One character off, whatever the random token starts with.
		var wrong = (known.charAt(0) == '0' ? "1" : "0") + known.substring(1);
		for (var attempt : List.of(List.of(wrong, "404"), List.of(known, "413"))) {
			try (var socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream()
					.write(("POST /webhooks/api4com/" + attempt.get(0) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
							+ "Content-Type: application/json\r\nContent-Length: 52428800\r\n\r\n{\"eventType\": \"")
						.getBytes(StandardCharsets.US_ASCII));
				socket.getOutputStream().flush();
				var status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
					.readLine();
				assertThat(status).startsWith("HTTP/1.1 " + attempt.get(1));
			}
		}
	}

	@Test
	void aWebhooksTextCannotForgeLogLines(CapturedOutput output) {
		var forged = "2026-12-05T00:00:00.000Z ERROR 1 --- [voxdesk] forged: webhook token leaked";
		var body = "{\"eventType\": \"tick\\r\\n" + forged + "\", \"id\": \"f-6\"}";

		var answer = post(api4com.webhookToken(), body);

		assertThat(answer.status()).as(answer.body()).isEqualTo(202);
		assertThat(answer.json().path("reason").asString()).isEqualTo("unknown event type");
		assertThat(output.getAll().lines()).noneMatch(line -> line.startsWith("2026-12-05T00:00:00.000Z ERROR 1"));
		assertThat(output.getAll()).contains("ignored a webhook of type 'tick??2026-12-05T00:00:00.000Z E");
	}

	/**
	 * A fake API4COM on WireMock following {@code shared/reference/api4com-contract.md}, reduced to what this test
	 * needs (the connector module's tests have the whole one): LoopBack's raw {@code Authorization} token and error
	 * bodies, {@code /users/me}, {@code /accounts}, {@code /integrations} with its 422 for a gateway registered
	 * without its id, the dialer (whose id is not the call id), and hangups that answer 404 once a call has ended.
	 */
	static final class FakeApi4com implements ResponseDefinitionTransformerV2, AutoCloseable {

		static final String TOKEN = "GlbxTk" + UUID.randomUUID().toString().replace("-", "");

		private static final JsonMapper JSON = JsonMapper.builder().build();

		private static final Pattern HANGUP = Pattern.compile("/api/v1/calls/([^/]+)/hangup");

		private final WireMockServer server;

		private final Map<String, ObjectNode> integrations = new ConcurrentHashMap<>();

		private final AtomicInteger integrationIds = new AtomicInteger(1);

		private final Map<String, JsonNode> dialed = new ConcurrentHashMap<>();

		private final Set<String> live = ConcurrentHashMap.newKeySet();

		private final List<String> hangups = new java.util.concurrent.CopyOnWriteArrayList<>();

		FakeApi4com() {
			server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(this));
			server.start();
			server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(getName())));
		}

		String baseUrl() {
			return "http://127.0.0.1:" + server.port() + "/api/v1";
		}

		void reset() {
			server.resetRequests();
			integrations.clear();
			integrationIds.set(1);
			dialed.clear();
			live.clear();
			hangups.clear();
		}

		/** What the dialer was sent for the Voxdesk call. */
		@Nullable JsonNode dialed(String call) {
			return dialed.get(call);
		}

		/** The token in the webhook URL registered for gateway {@code voxdesk}. */
		String webhookToken() {
			var url = integrations.get("voxdesk").path("metadata").path("webhookUrl").asString();
			return url.substring(url.lastIndexOf('/') + 1);
		}

		void liveCall(String id) {
			live.add(id);
		}

		List<String> hangups() {
			return List.copyOf(hangups);
		}

		@Override
		public void close() {
			server.stop();
		}

		@Override
		public String getName() {
			return "api4com-fake";
		}

		@Override
		public boolean applyGlobally() {
			return false;
		}

		@Override
		public synchronized ResponseDefinition transform(ServeEvent event) {
			var request = event.getRequest();
			var method = request.getMethod();
			var path = request.getUrl().split("\\?")[0];
			// LoopBack 3 wants the raw token; "Bearer <token>" is decoded as base64 and fails like a wrong token.
			if (!TOKEN.equals(request.getHeader("Authorization"))) {
				return error(401, "Authorization Required");
			}
			if (method.equals(RequestMethod.GET) && path.equals("/api/v1/users/me")) {
				return json(200, JSON.readTree("{\"id\":1,\"email\":\"ops@globex.example\",\"role\":\"ADMIN\"}"));
			}
			if (method.equals(RequestMethod.GET) && path.equals("/api/v1/accounts")) {
				return json(200, JSON.readTree("[{\"id\":9,\"domain\":\"globex.api4com.com\"}]"));
			}
			if (method.equals(RequestMethod.GET) && path.equals("/api/v1/integrations")) {
				var list = JSON.createArrayNode();
				integrations.values().forEach(list::add);
				return json(200, list);
			}
			if (method.equals(RequestMethod.PATCH) && path.equals("/api/v1/integrations")) {
				return upsert(request);
			}
			if (method.equals(RequestMethod.POST) && path.equals("/api/v1/dialer")) {
				var body = JSON.readTree(request.getBodyAsString());
				if (!body.path("phone").asString("").matches("\\+[1-9][0-9]{9,14}")) {
					return error(422, "phone must be in E.164, e.g. +554833328530");
				}
				dialed.put(body.path("metadata").path("voxdeskCallId").asString(""), body);
				return json(200, JSON.readTree("{\"id\":\"dialer-" + UUID.randomUUID() + "\",\"message\":\"ok\"}"));
			}
			var hangup = HANGUP.matcher(path);
			if (method.equals(RequestMethod.POST) && hangup.matches()) {
				hangups.add(hangup.group(1));
				return live.remove(hangup.group(1))
						? json(200, JSON.readTree("{\"status\":\"200\",\"message\":\"successful request\",\"id\":\""
								+ hangup.group(1) + "\"}"))
						: error(404, "Call not found");
			}
			return error(404, "Shared class \"Call\" has no method handling " + method + " " + path);
		}

		private ResponseDefinition upsert(Request request) {
			var body = (ObjectNode) JSON.readTree(request.getBodyAsString());
			var gateway = body.path("gateway").asString("");
			var existing = integrations.get(gateway);
			if (body.path("id").isMissingNode()) {
				if (existing != null) {
					return error(422, "User integration already exists, please send ID to update");
				}
				body.put("id", integrationIds.getAndIncrement());
			}
			else if (existing == null || existing.path("id").asInt() != body.path("id").asInt()) {
				return error(404, "Unknown \"UserIntegration\" id");
			}
			integrations.put(gateway, body);
			return json(200, body);
		}

		private static ResponseDefinition json(int status, JsonNode body) {
			return new ResponseDefinitionBuilder().withStatus(status)
				.withHeader("Content-Type", "application/json; charset=utf-8")
				.withBody(JSON.writeValueAsString(body))
				.build();
		}

		private static ResponseDefinition error(int status, String message) {
			var body = JSON.createObjectNode();
			var error = body.putObject("error");
			error.put("statusCode", status);
			error.put("name", "Error");
			error.put("message", message);
			return json(status, body);
		}
	}
}

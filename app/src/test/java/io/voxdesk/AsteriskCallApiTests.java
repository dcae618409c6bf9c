package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.voxdesk.calls.RecordingLinks;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;
import io.voxdesk.testing.arisim.SimChannel;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Click-to-call end to end: real HTTP and Keycloak tokens, the calls module, the ari4java connector and the ARI
 * simulator built from recorded Asterisk traffic. Tenant acme's Asterisk connection points at the simulator.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class AsteriskCallApiTests {

	static final String ARI_PASSWORD = "ari-" + UUID.randomUUID();

	static final JsonMapper JSON = JsonMapper.builder().build();

	static AriSimulator pbx;

	@Autowired
	RecordingLinks recordingLinks;

	@Autowired
	TenantContext context;

	@LocalServerPort
	int port;

	VoxdeskApi api;

	String connection;

	@BeforeAll
	static void startPbx() {
		var defaults = AriSimulatorSettings.defaults();
		pbx = AriSimulator.start(new AriSimulatorSettings(0, "voxdesk", ARI_PASSWORD, defaults.asteriskVersion()));
	}

	@AfterAll
	static void stopPbx() {
		pbx.close();
	}

	@BeforeEach
	void acmeConnectedToThePbx() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
		for (var existing : api.get("acme-admin", "/api/provider-connections").json()) {
			api.delete("acme-admin", "/api/provider-connections/" + existing.path("id").asString());
		}
		var created = api.post("acme-admin", "/api/provider-connections", connectionBody("Office PBX", ARI_PASSWORD));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		connection = created.json().path("id").asString();
		awaitConnected();
		var extension = api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1001\", \"active\": true}");
		assertThat(extension.status()).as(extension.body()).isEqualTo(200);
		pbx.defaultScript(CallScript.answerAfter(Duration.ofMillis(100)));
		pbx.script("1001", CallScript.answerAfter(Duration.ofMillis(100)));
	}

	String connectionBody(String name, String password) {
		return """
				{"kind": "asterisk", "name": "%s", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s", "username": "voxdesk", "application": "voxdesk-tests",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk",
				              "recording": "false", "agentRingSeconds": "2", "customerRingSeconds": "2"}}"""
			.formatted(name, password, pbx.baseUrl());
	}

	void awaitConnected() {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			var check = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test");
			assertThat(check.json().path("ok").asBoolean()).as(check.body()).isTrue();
		});
	}

	String ticket() {
		var contact = api.post("acme-agent", "/api/contacts",
				"{\"name\": \"Call Customer\", \"phones\": [{\"number\": \"+55 48 9%s\"}]}"
					.formatted(VoxdeskApi.freshSubscriberDigits()));
		assertThat(contact.status()).as(contact.body()).isEqualTo(201);
		var created = api.post("acme-agent", "/api/tickets", "{\"subject\": \"Callback\", \"contactId\": \"%s\"}"
			.formatted(contact.json().path("id").asString()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	JsonNode call(String ticket, String number) {
		var started = api.post("acme-agent", "/api/tickets/" + ticket + "/calls", "{\"number\": \"%s\"}".formatted(number));
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		assertThat(started.json().path("status").asString()).isEqualTo("RINGING");
		return started.json();
	}

	JsonNode awaitEnded(String callId) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> api.get("acme-agent", "/api/calls/" + callId).json(),
				call -> !call.path("endedAt").isNull());
	}

	List<String> callEntries(String ticket) {
		return api.get("acme-agent", "/api/tickets/" + ticket + "/timeline")
			.json()
			.valueStream()
			.filter(entry -> entry.path("type").asString().startsWith("call."))
			.map(entry -> entry.path("type").asString() + ": " + entry.path("summary").asString())
			.toList();
	}

	@Test
	void anAnsweredCallRingsTheAgentFirstBridgesTheCustomerAndEndsUpOnTheTicket() {
		pbx.script("5548999110001", CallScript.answerAfter(Duration.ofMillis(300)).thenHangUpAfter(Duration.ofSeconds(1)));
		var ticket = ticket();

		var call = call(ticket, "(48) 99911-0001");
		var ended = awaitEnded(call.path("id").asString());

		assertThat(ended.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(ended.path("outcome").asString()).isEqualTo("ANSWERED");
		assertThat(ended.path("number").asString()).isEqualTo("+5548999110001");
		assertThat(ended.path("agentAnsweredAt").isNull()).isFalse();
		assertThat(ended.path("answeredAt").isNull()).isFalse();
		assertThat(ended.path("hangupCause").asString()).isEqualTo("16 Normal Clearing");
		assertThat(pbx.dialled()).containsSubsequence("PJSIP/1001", "PJSIP/5548999110001@trunk");
		await().untilAsserted(() -> assertThat(callEntries(ticket)).containsExactly(
				"call.started: Artur Acme called +5548999110001", "call.answered: Call answered",
				"call.ended: Call ended: talked " + ended.path("talkSeconds").asLong() + " s"));
		await().untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	/**
	 * Issue 17, point 8: a number on the tenant's do-not-call list is still dialled when an agent clicks it (the agent
	 * chose to), but the answer warns them; a number not on the list carries no warning.
	 */
	@Test
	void aClickToANumberOnTheDoNotCallListWarnsTheAgentAndStillDials() {
		pbx.script("5548999110077", CallScript.answerAfter(Duration.ofMillis(300)).thenHangUpAfter(Duration.ofMillis(500)));
		var listed = api.post("acme-admin", "/api/do-not-call", "{\"number\": \"+55 48 99911-0077\", \"note\": \"opted out\"}");
		assertThat(listed.status()).as(listed.body()).isIn(200, 201);
		var ticket = ticket();

		var call = call(ticket, "(48) 99911-0077");

		assertThat(call.path("warning").asString()).contains("+5548999110077 is on your organization's do-not-call list")
			.contains("the call is being placed");
		assertThat(call.path("id").asString()).isNotBlank();
		assertThat(awaitEnded(call.path("id").asString()).path("status").asString()).isEqualTo("COMPLETED");
		assertThat(pbx.dialled()).contains("PJSIP/5548999110077@trunk");

		pbx.script("5548999110078", CallScript.answerAfter(Duration.ofMillis(300)).thenHangUpAfter(Duration.ofMillis(500)));
		var unlisted = call(ticket, "(48) 99911-0078");
		assertThat(unlisted.path("warning").isNull()).isTrue();
		awaitEnded(unlisted.path("id").asString());
		assertThat(api.delete("acme-admin", "/api/do-not-call/+5548999110077").status()).isEqualTo(204);
	}

	/**
	 * Issue 19, point 2: {@code call.recording_available} reaches the host with a short-lived link Voxdesk signed, which
	 * downloads the stored recording without a token; a forged, moved or expired link is refused and every download
	 * is audited. The provider's own recording URL is never handed out.
	 */
	@Test
	void aRecordingIsAnnouncedToTheHostWithAShortLivedSignedLink() throws Exception {
		var received = new java.util.concurrent.CopyOnWriteArrayList<String>();
		var receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/", exchange -> {
			received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		var endpoint = api.post("acme-admin", "/api/webhooks", """
				{"url": "http://127.0.0.1:%d/hooks", "eventTypes": ["call.recording_available"]}"""
			.formatted(receiver.getAddress().getPort())).json().path("endpoint").path("id").asString();
		try {
			api.put("acme-admin", "/api/provider-connections/" + connection,
					connectionBody("Office PBX", ARI_PASSWORD).replace("\"recording\": \"false\"", "\"recording\": \"true\""));
			awaitConnected();
			pbx.script("5548999110018", CallScript.answerAfter(Duration.ofMillis(100)).thenHangUpAfter(Duration.ofSeconds(1)));
			var id = call(ticket(), "+55 48 99911-0018").path("id").asString();
			var delivery = await().atMost(Duration.ofSeconds(30)).until(() -> received.stream()
				.map(body -> JSON.readTree(body))
				.filter(body -> body.path("data").path("callId").asString().equals(id))
				.findFirst(), java.util.Optional::isPresent).orElseThrow();

			assertThat(delivery.path("type").asString()).isEqualTo("call.recording_available");
			var recording = delivery.path("data").path("recording");
			var url = java.net.URI.create(recording.path("url").asString());
			assertThat(url.getPath()).isEqualTo("/media/recordings/acme/" + id);
			assertThat(recording.path("url").asString()).as("never the provider's URL").doesNotContain(pbx.baseUrl().toString())
				.doesNotContain("/ari/");
			assertThat(java.time.Instant.parse(recording.path("expiresAt").asString()))
				.isBetween(java.time.Instant.now().plusSeconds(3000), java.time.Instant.now().plusSeconds(3700));
			assertThat(recording.path("apiPath").asString()).isEqualTo("/api/calls/" + id + "/recording");

			var link = url.getRawPath() + "?" + url.getRawQuery();
			var downloaded = download(link);
			assertThat(downloaded.statusCode()).isEqualTo(200);
			assertThat(downloaded.body()).isEqualTo(api.getBytes("acme-agent", "/api/calls/" + id + "/recording", null).body());

			// The attacks: the signature changed, the link moved to another call or tenant, and a link that expired.
			var signature = url.getRawQuery().replaceAll(".*sig=", "");
			var forged = link.replace(signature, (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1));
			assertThat(download(forged).statusCode()).isEqualTo(403);
			assertThat(download(link.replace(id, UUID.randomUUID().toString())).statusCode()).isEqualTo(403);
			assertThat(download(link.replace("/acme/", "/globex/")).statusCode()).isEqualTo(403);
			var exp = Long.parseLong(url.getRawQuery().replaceAll(".*exp=(\\d+).*", "$1"));
			assertThat(download(link.replace("exp=" + exp, "exp=" + (exp + 1))).statusCode()).as("a second more claimed")
				.isEqualTo(403);
			var shortLived = context.callAs(io.voxdesk.tenants.TenantId.of("acme"),
					() -> recordingLinks.link(io.voxdesk.calls.CallId.of(UUID.fromString(id)), Duration.ofSeconds(5)));
			assertThat(download(shortLived.path()).statusCode()).as("a fresh short-lived link works").isEqualTo(200);
			await().atMost(Duration.ofSeconds(15)).until(() -> download(shortLived.path()).statusCode() == 403);
			var part = downloadRange(link, "bytes=0-99");
			assertThat(part.statusCode()).isEqualTo(206);
			assertThat(part.body()).hasSize(100);

			await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200")
				.json()
				.path("content")
				.valueStream()
				.filter(entry -> entry.path("action").asString().equals("call.recording-played")
						&& entry.path("targetId").asString().equals(id))
				.map(entry -> entry.path("summary").asString()))
				.contains("holder of a signed link was sent all " + downloaded.body().length + " bytes of the recording of call "
						+ id, "holder of a signed link was sent bytes 0-99 of " + downloaded.body().length
								+ " of the recording of call " + id));
		}
		finally {
			api.delete("acme-admin", "/api/webhooks/" + endpoint);
			receiver.stop(0);
		}
	}

	java.net.http.HttpResponse<byte[]> download(String pathAndQuery) throws Exception {
		return downloadRange(pathAndQuery, null);
	}

	/** A GET without a token, as the host holding the link makes it; {@code range} as in a Range header, or none. */
	java.net.http.HttpResponse<byte[]> downloadRange(String pathAndQuery, @Nullable String range) throws Exception {
		var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + pathAndQuery));
		if (range != null) {
			request.header("Range", range);
		}
		try (var http = java.net.http.HttpClient.newHttpClient()) {
			return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
		}
	}

	@Test
	void aRecordedCallIsStoredStreamedWithRangesAndEachPlaybackIsAudited() {
		var recorded = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Office PBX", ARI_PASSWORD).replace("\"recording\": \"false\"", "\"recording\": \"true\""));
		assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
		awaitConnected();
		pbx.script("5548999110008", CallScript.answerAfter(Duration.ofMillis(100)).thenHangUpAfter(Duration.ofSeconds(2)));
		var ticket = ticket();
		var id = call(ticket, "+55 48 99911-0008").path("id").asString();
		awaitEnded(id);
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("recorded").asBoolean());

		var whole = api.getBytes("acme-agent", "/api/calls/" + id + "/recording", null);
		assertThat(whole.status()).isEqualTo(200);
		assertThat(whole.contentType()).startsWith("audio/wav");
		assertThat(new String(whole.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
		var part = api.getBytes("acme-agent", "/api/calls/" + id + "/recording", "bytes=100-199");
		assertThat(part.status()).isEqualTo(206);
		assertThat(part.body()).hasSize(100).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 100, 200));
		// The attack: a range past the end, which used to answer 416 with the whole file and audit nothing.
		var beyond = api.getBytes("acme-agent", "/api/calls/" + id + "/recording", "bytes=99999999-");
		assertThat(beyond.status()).isEqualTo(416);
		assertThat(beyond.body()).isEmpty();
		assertThat(api.getBytes("globex-agent", "/api/calls/" + id + "/recording", null).status()).isEqualTo(404);
		await().untilAsserted(() -> assertThat(callEntries(ticket)).contains("call.recording: Recording available"));
		// Every answer that carried bytes is audited, saying which; the 416 carried none.
		await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200")
			.json()
			.path("content")
			.valueStream()
			.filter(entry -> entry.path("action").asString().equals("call.recording-played")
					&& entry.path("targetId").asString().equals(id))
			.map(entry -> entry.path("summary").asString()))
			.containsExactlyInAnyOrder("acme-agent was sent all " + whole.body().length + " bytes of the recording of call " + id,
					"acme-agent was sent bytes 100-199 of " + whole.body().length + " of the recording of call " + id));
	}

	/** A STOMP client of {@code /ws}, connected as the user, or refused. */
	StompSession stomp(String user, java.util.List<String> errors) throws Exception {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new CompositeMessageConverter(List.of(new StringMessageConverter(), new JacksonJsonMessageConverter())));
		var headers = new StompHeaders();
		if (user != null) {
			headers.add("Authorization", "Bearer " + KeycloakTestServer.accessToken(user));
		}
		return client.connectAsync("ws://127.0.0.1:" + port + "/ws", new WebSocketHttpHeaders(), headers,
				new StompSessionHandlerAdapter() {

					@Override
					public void handleFrame(StompHeaders frame, Object payload) {
						errors.add(String.valueOf(frame.getFirst("message")));
					}

					@Override
					public void handleException(StompSession session, org.springframework.messaging.simp.stomp.StompCommand command,
							StompHeaders frame, byte[] payload, Throwable exception) {
						errors.add("exception: " + command + " " + frame + " " + exception);
					}

					@Override
					public void handleTransportError(StompSession session, Throwable exception) {
						errors.add("closed: " + exception.getClass().getSimpleName());
					}
				})
			.get(10, java.util.concurrent.TimeUnit.SECONDS);
	}

	static StompFrameHandler collect(java.util.Queue<JsonNode> into) {
		return new StompFrameHandler() {

			@Override
			public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
				return JsonNode.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				into.add((JsonNode) payload);
			}
		};
	}

	/**
	 * Issue 16, points 5, 8, 9 and 10 over the real API: a customer calls a number routed to a queue with acme-agent
	 * in it; acme-agent is told who is calling (contact, ticket, queue) on STOMP before the phone rings, answers, and
	 * the call lands on the caller's ticket, which becomes acme-agent's.
	 */
	@Test
	void aCustomerCallingTheTenantsNumberIsAnnouncedToTheAgentAndLandsOnTheirTicket() throws Exception {
		var agentId = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"available\"}").status()).isEqualTo(200);
		var queue = api.post("acme-admin", "/api/queues", "{\"name\": \"Inbound %s\", \"memberIds\": [\"%s\"]}"
			.formatted(UUID.randomUUID().toString().substring(0, 8), agentId)).json().path("id").asString();
		var did = "4833" + VoxdeskApi.freshSubscriberDigits().substring(2);
		var routed = api.post("acme-admin", "/api/inbound-numbers",
				"{\"connectionId\": \"%s\", \"number\": \"%s\", \"queueId\": \"%s\"}".formatted(connection, did, queue));
		assertThat(routed.status()).as(routed.body()).isEqualTo(201);
		var caller = "4899" + VoxdeskApi.freshSubscriberDigits().substring(1);
		var offers = new java.util.concurrent.ConcurrentLinkedQueue<JsonNode>();
		var errors = new java.util.concurrent.CopyOnWriteArrayList<String>();
		var agent = stomp("acme-agent", errors);
		agent.subscribe("/user/queue/offers", collect(offers));
		await().until(agent::isConnected);
		pbx.script("1001", CallScript.noAnswer());
		// Other tests' calls of acme-agent may still be ending: the queue rings them once they are free.
		await().atMost(Duration.ofSeconds(20)).until(() -> api.get("acme-agent", "/api/me/presence").json().path("state")
			.asString().equals("available"));

		var callerChannel = pbx.callIn("voxdesk-tests", "55" + did, "Maria Souza", caller);

		var offer = await().atMost(Duration.ofSeconds(10)).until(() -> offers.stream().findFirst(), found -> found.isPresent())
			.orElseThrow();
		assertThat(offer.path("number").asString()).isEqualTo("+55" + caller);
		assertThat(offer.path("contactName").asString()).isEqualTo("+55" + caller);
		assertThat(offer.path("ticketSubject").asString()).isEqualTo("Call from Maria Souza (+55" + caller + ")");
		assertThat(offer.path("queueName").asString()).startsWith("Inbound ");
		var callId = offer.path("call").asString();
		var phone = await().atMost(Duration.ofSeconds(10)).until(() -> pbx.channels()
			.stream()
			.filter(channel -> channel.number().equals("1001") && channel.state().equals("Ringing"))
			.findFirst(), found -> found.isPresent()).orElseThrow();
		assertThat(phone.variables()).containsEntry("PJSIP_HEADER(add,X-Voxdesk-Call-Id)", callId);

		pbx.answerFromFarEnd(phone.id());

		var answered = await().atMost(Duration.ofSeconds(10)).until(() -> api.get("acme-agent", "/api/calls/" + callId).json(),
				call -> call.path("status").asString().equals("ANSWERED"));
		assertThat(answered.path("direction").asString()).isEqualTo("inbound");
		assertThat(answered.path("agent").asString()).isEqualTo(agentId);
		var ticket = answered.path("ticket").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> api.get("acme-agent", "/api/tickets/" + ticket).json()
			.path("assigneeId").asString().equals(agentId));
		pbx.hangUpFromFarEnd(callerChannel, 16);
		assertThat(awaitEnded(callId).path("status").asString()).isEqualTo("COMPLETED");
		await().untilAsserted(() -> assertThat(callEntries(ticket)).extracting(entry -> entry.substring(0, entry.indexOf(':')))
			.containsExactly("call.started", "call.answered", "call.ended"));
		agent.disconnect();
	}

	/**
	 * Issue 17, points 1 and 3: a queue greets its callers with audio of the tenant's library. Asterisk plays it as
	 * {@code sound:http://…}: the simulator, like Asterisk's HTTP media cache, fetches the link Voxdesk signed for
	 * this connection from the running application, plays it for its length, and the queue's music follows. The audio
	 * cannot be deleted while the queue plays it.
	 */
	@Test
	void aQueueGreetsItsCallersWithLibraryAudioThatThePbxFetchesThroughASignedLink() throws Exception {
		var parts = new LinkedMultiValueMap<String, Object>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(AudioApiTests.wav(8000, 1, 1.0)) {

			@Override
			public String getFilename() {
				return "boas-vindas.wav";
			}
		}));
		parts.add("kind", "ivr-prompt");
		var audio = api.postMultipart("acme-admin", "/api/audio", parts);
		assertThat(audio.status()).as(audio.body()).isEqualTo(201);
		var audioId = audio.json().path("id").asString();
		// An agent whose phone rings unanswered keeps the caller waiting: greeting, then music.
		var agentId = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"available\"}").status()).isEqualTo(200);
		var agent = stomp("acme-agent", new java.util.concurrent.CopyOnWriteArrayList<>());
		await().until(agent::isConnected);
		pbx.script("1001", CallScript.noAnswer());
		var queueName = "Greeted " + UUID.randomUUID().toString().substring(0, 8);
		var queue = api.post("acme-admin", "/api/queues", "{\"name\": \"%s\", \"memberIds\": [\"%s\"]}"
			.formatted(queueName, agentId)).json().path("id").asString();
		var routing = api.put("acme-admin", "/api/queues/" + queue + "/call-routing", """
				{"strategy": "ring-all", "ringSeconds": 20, "maxWaitSeconds": 300, "wrapUpSeconds": 0,
				 "greeting": "audio:%s", "overflow": {"target": "hang-up"}}""".formatted(audioId));
		assertThat(routing.status()).as(routing.body()).isEqualTo(200);
		var did = "4833" + VoxdeskApi.freshSubscriberDigits().substring(2);
		assertThat(api.post("acme-admin", "/api/inbound-numbers",
				"{\"connectionId\": \"%s\", \"number\": \"%s\", \"queueId\": \"%s\"}".formatted(connection, did, queue))
			.status()).isEqualTo(201);

		var callerChannel = pbx.callIn("voxdesk-tests", "55" + did, "Maria Souza", "48999990000");

		var link = "http://127.0.0.1:" + port + "/media/audio/acme/" + audioId + ".wav?aud=connection%3A" + connection
				+ "&exp=";
		var played = await().atMost(Duration.ofSeconds(10)).until(() -> pbx.played()
			.stream()
			.filter(entry -> entry.contains("=sound:" + link))
			.findFirst(), found -> found.isPresent()).orElseThrow();
		var bridge = played.substring("bridge:".length(), played.indexOf('='));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.mediaFetches())
			.anyMatch(fetch -> fetch.startsWith("200 " + link)));
		// The greeting lasts a second, then the queue's music plays.
		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.bridgeMusic(bridge).isPresent());

		var refused = api.delete("acme-admin", "/api/audio/" + audioId);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.detail()).contains("queue \"" + queueName + "\"");
		pbx.hangUpFromFarEnd(callerChannel, 16);
		agent.disconnect();
	}

	/**
	 * Issue 16, point 12: the queue board shows a caller waiting and whose phone rings for them, then the agent on the
	 * call and the queue's counts for the day; only the tenant's admins read it. The attack: another tenant's admin
	 * and an agent of the same tenant ask for it.
	 */
	@Test
	void theQueueBoardShowsTheWaitingCallerThenTheAgentOnTheCallAndTodaysCounts() {
		var agentId = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"available\"}").status()).isEqualTo(200);
		var name = "Board " + UUID.randomUUID().toString().substring(0, 8);
		var queue = api.post("acme-admin", "/api/queues", "{\"name\": \"%s\", \"memberIds\": [\"%s\"]}"
			.formatted(name, agentId)).json().path("id").asString();
		var did = "4833" + VoxdeskApi.freshSubscriberDigits().substring(2);
		assertThat(api.post("acme-admin", "/api/inbound-numbers",
				"{\"connectionId\": \"%s\", \"number\": \"%s\", \"queueId\": \"%s\"}".formatted(connection, did, queue))
			.status()).isEqualTo(201);
		var caller = "4899" + VoxdeskApi.freshSubscriberDigits().substring(1);
		pbx.script("1001", CallScript.noAnswer());
		await().atMost(Duration.ofSeconds(20)).until(() -> api.get("acme-agent", "/api/me/presence").json().path("state")
			.asString().equals("available"));

		var callerChannel = pbx.callIn("voxdesk-tests", "55" + did, "Maria Souza", caller);

		var waiting = await().atMost(Duration.ofSeconds(10)).until(() -> boardQueue("acme-admin", queue),
				board -> board.path("waiting").size() == 1 && board.path("waiting").get(0).path("ringing").size() == 1);
		var caller0 = waiting.path("waiting").get(0);
		assertThat(caller0.path("number").asString()).isEqualTo("+55" + caller);
		assertThat(caller0.path("callerName").asString()).isEqualTo("Maria Souza");
		assertThat(caller0.path("ringing").get(0).asString()).isEqualTo("acme-agent");
		assertThat(waiting.path("name").asString()).isEqualTo(name);
		assertThat(waiting.path("agents").get(0).path("username").asString()).isEqualTo("acme-agent");
		assertThat(waiting.path("today").path("offered").asInt()).isEqualTo(1);
		assertThat(waiting.path("today").path("answered").asInt()).isZero();
		var callId = caller0.path("callId").asString();
		assertThat(api.get("globex-admin", "/api/queue-board").body()).doesNotContain(queue).doesNotContain(caller);
		assertThat(api.get("acme-agent", "/api/queue-board").status()).isEqualTo(403);
		var badZone = api.get("acme-admin", "/api/queue-board?zone=Mars/Olympus");
		assertThat(badZone.status()).isEqualTo(400);
		assertThat(badZone.json().path("errors").get(0).path("field").asString()).isEqualTo("zone");

		var phone = pbx.channels()
			.stream()
			.filter(channel -> channel.number().equals("1001") && channel.state().equals("Ringing"))
			.findFirst()
			.orElseThrow();
		pbx.answerFromFarEnd(phone.id());

		var talking = await().atMost(Duration.ofSeconds(10)).until(() -> boardQueue("acme-admin", queue),
				board -> board.path("waiting").isEmpty() && board.path("agents").get(0).path("callId").asString("").equals(callId));
		var agent = talking.path("agents").get(0);
		assertThat(agent.path("presence").asString()).isEqualTo("on-call");
		assertThat(agent.path("callNumber").asString()).isEqualTo("+55" + caller);
		assertThat(talking.path("today").path("answered").asInt()).isEqualTo(1);
		assertThat(talking.path("today").path("answeredWithin20s").asInt()).isEqualTo(1);
		assertThat(talking.path("today").path("missed").asInt()).isZero();
		assertThat(talking.path("today").path("averageWaitSeconds").asLong()).isBetween(0L, 20L);
		pbx.hangUpFromFarEnd(callerChannel, 16);
		awaitEnded(callId);
	}

	JsonNode boardQueue(String user, String queue) {
		var board = api.get(user, "/api/queue-board?zone=America/Sao_Paulo");
		assertThat(board.status()).as(board.body()).isEqualTo(200);
		assertThat(board.json().path("tenantId").asString()).isEqualTo("acme");
		return board.json().path("queues").valueStream()
			.filter(entry -> entry.path("id").asString().equals(queue))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Issue 16, point 11 over the real API: a caller who hangs up while the queue's only agent is away leaves a
	 * callback task; the agent sees it, takes it, calls back from it, and the answered callback closes it.
	 */
	@Test
	void aCallerNobodyTookLeavesACallbackThatTheAgentCallsBack() {
		var agentId = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		var queue = api.post("acme-admin", "/api/queues", "{\"name\": \"Callbacks %s\", \"memberIds\": [\"%s\"]}"
			.formatted(UUID.randomUUID().toString().substring(0, 8), agentId)).json().path("id").asString();
		var did = "4833" + VoxdeskApi.freshSubscriberDigits().substring(2);
		assertThat(api.post("acme-admin", "/api/inbound-numbers",
				"{\"connectionId\": \"%s\", \"number\": \"%s\", \"queueId\": \"%s\"}".formatted(connection, did, queue))
			.status()).isEqualTo(201);
		var caller = "4899" + VoxdeskApi.freshSubscriberDigits().substring(1);
		assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"away\", \"reason\": \"lunch\"}").status())
			.isEqualTo(200);
		try {
			var callerChannel = pbx.callIn("voxdesk-tests", "55" + did, "Maria Souza", caller);
			await().atMost(Duration.ofSeconds(10)).until(() -> pbx.channels().stream()
				.anyMatch(channel -> channel.name().endsWith(";2") && "Up".equals(channel.state())));
			pbx.hangUpFromFarEnd(callerChannel, 16);

			var task = await().atMost(Duration.ofSeconds(10)).until(() -> api.get("acme-agent", "/api/callbacks").json()
				.valueStream()
				.filter(callback -> callback.path("number").asString().equals("+55" + caller))
				.findFirst(), found -> found.isPresent()).orElseThrow();
			assertThat(task.path("state").asString()).isEqualTo("open");
			assertThat(task.path("lastOutcome").asString()).isEqualTo("abandoned");
			var id = task.path("id").asString();
			assertThat(api.get("globex-admin", "/api/callbacks").body()).doesNotContain(id);
			assertThat(api.postEmpty("globex-admin", "/api/callbacks/" + id + "/take").status()).isEqualTo(404);

			var taken = api.postEmpty("acme-agent", "/api/callbacks/" + id + "/take");
			assertThat(taken.status()).as(taken.body()).isEqualTo(200);
			assertThat(taken.json().path("takenBy").asString()).isEqualTo(agentId);
			var noReason = api.post("acme-agent", "/api/callbacks/" + id + "/close", "{\"reason\": \"\"}");
			assertThat(noReason.status()).isEqualTo(400);
			var back = api.postEmpty("acme-agent", "/api/callbacks/" + id + "/call");
			assertThat(back.status()).as(back.body()).isEqualTo(202);
			var callId = back.json().path("id").asString();
			assertThat(back.json().path("number").asString()).isEqualTo("+55" + caller);
			assertThat(back.json().path("ticket").asString()).isEqualTo(task.path("ticket").asString());

			await().atMost(Duration.ofSeconds(10)).until(() -> api.get("acme-agent", "/api/calls/" + callId).json()
				.path("status").asString().equals("ANSWERED"));
			var closed = await().atMost(Duration.ofSeconds(10)).until(() -> api.get("acme-agent", "/api/callbacks?closed=true")
				.json()
				.valueStream()
				.filter(callback -> callback.path("id").asString().equals(id))
				.findFirst()
				.orElseThrow(), callback -> callback.path("state").asString().equals("closed"));
			assertThat(closed.path("closeReason").asString()).isEqualTo("answered callback");
			assertThat(closed.path("answeredCall").asString()).isEqualTo(callId);
			api.postEmpty("acme-agent", "/api/calls/" + callId + "/hangup");
			awaitEnded(callId);
		}
		finally {
			api.put("acme-agent", "/api/me/presence", "{\"state\": \"available\"}");
		}
	}

	@Test
	void anAgentsSimultaneousClicksPlaceOneCall() throws Exception {
		pbx.script("5548999110077", CallScript.answerAfter(Duration.ofSeconds(30)));
		var ticket = ticket();
		var start = new java.util.concurrent.CountDownLatch(1);
		var clicks = new java.util.ArrayList<java.util.concurrent.CompletableFuture<VoxdeskApi.Response>>();
		try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
			for (var i = 0; i < 5; i++) {
				clicks.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
					try {
						start.await();
					}
					catch (InterruptedException e) {
						throw new IllegalStateException(e);
					}
					return api.post("acme-agent", "/api/tickets/" + ticket + "/calls", "{\"number\": \"+55 48 99911-0077\"}");
				}, threads));
			}
			start.countDown();
		}
		var answers = clicks.stream().map(java.util.concurrent.CompletableFuture::join).toList();

		assertThat(answers).extracting(VoxdeskApi.Response::status).containsOnly(202, 409);
		var placed = answers.stream().filter(answer -> answer.status() == 202).toList();
		assertThat(placed).hasSize(1);
		var refused = answers.stream().filter(answer -> answer.status() == 409).findFirst().orElseThrow();
		assertThat(refused.isProblem()).isTrue();
		assertThat(refused.detail()).startsWith("You already have a call in progress");
		var id = placed.getFirst().json().path("id").asString();
		assertThat(refused.detail()).contains(id);

		api.postEmpty("acme-agent", "/api/calls/" + id + "/hangup");
		awaitEnded(id);
		pbx.script("5548999110078", CallScript.busy());
		var next = api.post("acme-agent", "/api/tickets/" + ticket + "/calls", "{\"number\": \"+55 48 99911-0078\"}");
		assertThat(next.status()).as("once the call ended: " + next.body()).isEqualTo(202);
		awaitEnded(next.json().path("id").asString());
	}

	@Test
	void agentsAndTheirAdminsFollowCallsLiveAndNobodyFollowsAnotherTenant() throws Exception {
		var errors = new java.util.concurrent.CopyOnWriteArrayList<String>();
		var mine = new java.util.concurrent.ConcurrentLinkedQueue<JsonNode>();
		var feed = new java.util.concurrent.ConcurrentLinkedQueue<JsonNode>();
		var agent = stomp("acme-agent", errors);
		agent.subscribe("/user/queue/calls", collect(mine));
		var admin = stomp("acme-admin", errors);
		admin.subscribe("/topic/tenants/acme/calls", collect(feed));
		await().until(() -> agent.isConnected() && admin.isConnected());
		pbx.script("5548999110009", CallScript.busy());

		var id = call(ticket(), "+55 48 99911-0009").path("id").asString();

		await().untilAsserted(() -> assertThat(mine.stream()
			.filter(call -> call.path("id").asString().equals(id))
			.map(call -> call.path("status").asString())).containsSubsequence("RINGING", "BUSY"));
		await().untilAsserted(() -> assertThat(feed.stream()
			.filter(call -> call.path("id").asString().equals(id))
			.map(call -> call.path("status").asString())).contains("BUSY"));
		assertThat(errors).isEmpty();

		// The attacks: another tenant's admin asks for acme's feed; an agent asks for the tenant feed.
		var foreignErrors = new java.util.concurrent.CopyOnWriteArrayList<String>();
		var foreign = stomp("globex-admin", foreignErrors);
		foreign.subscribe("/topic/tenants/acme/calls", collect(new java.util.concurrent.ConcurrentLinkedQueue<>()));
		await().until(() -> !foreign.isConnected());
		// The refusal is an ERROR frame and the closed connection. Spring closes the session right after queueing the
		// frame, so a frame still queued behind another send on that session (a heart-beat) is dropped: what the
		// client is sure to see is the close; any message it does see must be the refusal.
		await().untilAsserted(() -> assertThat(foreignErrors).isNotEmpty()
			.allMatch(error -> error.contains("may not subscribe to /topic/tenants/acme/calls")
					|| error.startsWith("closed:")));
		var agentErrors = new java.util.concurrent.CopyOnWriteArrayList<String>();
		var nosy = stomp("acme-agent", agentErrors);
		nosy.subscribe("/topic/tenants/acme/calls", collect(new java.util.concurrent.ConcurrentLinkedQueue<>()));
		await().until(() -> !nosy.isConnected());
		await().untilAsserted(() -> assertThat(agentErrors).isNotEmpty()
			.allMatch(error -> error.contains("may not subscribe") || error.startsWith("closed:")));
		var anonymousErrors = new java.util.concurrent.CopyOnWriteArrayList<String>();
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> stomp(null, anonymousErrors).subscribe("/user/queue/calls",
				collect(new java.util.concurrent.ConcurrentLinkedQueue<>())))
			.isInstanceOf(Exception.class);
		agent.disconnect();
		admin.disconnect();
	}

	@Test
	void theAgentHoldsResumesAndSendsDigits() {
		pbx.script("5548999110010", CallScript.answerAfter(Duration.ofMillis(100)));
		var ticket = ticket();
		var id = call(ticket, "+55 48 99911-0010").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(), "ANSWERED"::equals);

		var held = api.postEmpty("acme-agent", "/api/calls/" + id + "/hold");
		assertThat(held.status()).as(held.body()).isEqualTo(200);
		assertThat(held.json().path("status").asString()).isEqualTo("ON_HOLD");
		assertThat(api.postEmpty("globex-agent", "/api/calls/" + id + "/resume").status()).isEqualTo(404);
		var resumed = api.postEmpty("acme-agent", "/api/calls/" + id + "/resume");
		assertThat(resumed.json().path("status").asString()).isEqualTo("ANSWERED");
		assertThat(api.post("acme-agent", "/api/calls/" + id + "/dtmf", "{\"digits\": \"12#\"}").status()).isEqualTo(200);
		assertThat(api.post("acme-agent", "/api/calls/" + id + "/dtmf", "{\"digits\": \"hello\"}").status()).isEqualTo(400);

		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/hangup").status()).isEqualTo(200);
		assertThat(awaitEnded(id).path("status").asString()).isEqualTo("COMPLETED");
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/hold").status()).isEqualTo(409);
	}

	/** The channels of the call that are in the bridge, by id. */
	List<String> inBridge(String bridge) {
		return pbx.channels().stream().filter(channel -> bridge.equals(channel.bridgeId())).map(SimChannel::id).sorted()
			.toList();
	}

	JsonNode awaitTransfer(String id, String state) {
		return await().atMost(Duration.ofSeconds(15)).until(() -> api.get("acme-agent", "/api/calls/" + id).json(),
				call -> state.equals(call.path("transfer").path("state").asString()));
	}

	/**
	 * A real Asterisk answered {@code redirect} of a Local channel with 204 and did nothing ("Unsupported transfer
	 * requested"), so Voxdesk reported TRANSFERRED while the customer waited alone. The transfer now happens in
	 * Voxdesk's own bridge: the target is rung while agent and customer go on talking, joins the customer when it
	 * answers, and only then is the agent released; the call ends as transferred when the conversation ends.
	 */
	@Test
	void aBlindTransferRingsTheTargetJoinsItToTheCustomerAndOnlyThenReleasesTheAgent() {
		pbx.script("5548999110012", CallScript.answerAfter(Duration.ofMillis(100)));
		pbx.script("1002", CallScript.answerAfter(Duration.ofMillis(500)));
		var ticket = ticket();
		var id = call(ticket, "+55 48 99911-0012").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(), "ANSWERED"::equals);
		var agent = "vx-a-" + id;
		var customer = "vx-c-" + id;
		var target = "vx-t1-" + id;
		var bridge = "vx-b-" + id;

		var started = api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"destination\": \"1002\"}");

		assertThat(started.status()).as(started.body()).isEqualTo(200);
		var transfer = started.json().path("transfer");
		assertThat(transfer.path("mode").asString()).isEqualTo("BLIND");
		assertThat(transfer.path("destination").asString()).isEqualTo("1002");
		assertThat(transfer.path("attempt").asInt()).isEqualTo(1);
		assertThat(transfer.path("state").asString()).isIn("RINGING", "ANSWERED", "COMPLETED");
		assertThat(started.json().path("status").asString()).isEqualTo("ANSWERED");
		var second = api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"destination\": \"1003\"}");
		assertThat(second.status()).isEqualTo(409);
		assertThat(second.detail()).contains("already being transferred to 1002");

		var completed = awaitTransfer(id, "COMPLETED");
		assertThat(completed.path("status").asString()).as("the conversation goes on").isEqualTo("ANSWERED");
		assertThat(completed.path("transfer").path("detail").asString()).isEqualTo("The customer was handed to 1002.");
		await().untilAsserted(() -> assertThat(inBridge(bridge)).containsExactlyInAnyOrder(customer, target));
		await().untilAsserted(() -> assertThat(pbx.channels()).noneMatch(channel -> channel.id().equals(agent)));
		assertThat(pbx.channels()).filteredOn(channel -> channel.id().equals(target)).singleElement()
			.extracting(SimChannel::endpoint).isEqualTo("PJSIP/1002");
		assertThat(api.get("acme-agent", "/api/calls/" + id).json().path("endedAt").isNull())
			.as("the agent's leg ending released the agent, it did not end the call").isTrue();
		var handedOver = api.postEmpty("acme-agent", "/api/calls/" + id + "/hold");
		assertThat(handedOver.status()).isEqualTo(409);
		assertThat(handedOver.detail()).contains("was transferred");
		var next = call(ticket(), "+55 48 99911-0013").path("id").asString();
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + next + "/hangup").status())
			.as("a released agent may call again").isEqualTo(200);

		pbx.hangUpFromFarEnd(customer, 16);
		var ended = awaitEnded(id);
		assertThat(ended.path("status").asString()).isEqualTo("TRANSFERRED");
		assertThat(ended.path("outcome").asString()).isEqualTo("ANSWERED");
		await().untilAsserted(() -> assertThat(pbx.channels()).noneMatch(channel -> channel.id().equals(target)));
		assertThat(pbx.notices()).as("Voxdesk asked Asterisk for nothing it cannot do").isEmpty();
	}

	/**
	 * Issue 16, point 13: the agent transfers the customer to a queue; the customer waits there like an inbound
	 * caller (a new inbound call on the same ticket, in the queue's bridge with its music), the agent's call ends as
	 * transferred, and the queue's next free agent (here the same one, released and without wrap-up) takes them.
	 */
	@Test
	void aCustomerTransferredToAQueueWaitsThereLikeACallerUntilTheNextAgentTakesThem() {
		var agentId = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"available\"}").status()).isEqualTo(200);
		var name = "Transfers " + UUID.randomUUID().toString().substring(0, 8);
		var queue = api.post("acme-admin", "/api/queues", "{\"name\": \"%s\", \"memberIds\": [\"%s\"]}"
			.formatted(name, agentId)).json().path("id").asString();
		assertThat(api.put("acme-admin", "/api/queues/" + queue + "/call-routing", """
				{"strategy": "ring-all", "ringSeconds": 20, "maxWaitSeconds": 300, "wrapUpSeconds": 0,
				 "musicClass": "default", "overflow": {"target": "hang-up"}}""").status()).isEqualTo(200);
		pbx.script("5548999110015", CallScript.answerAfter(Duration.ofMillis(100)));
		var ticket = ticket();
		var id = call(ticket, "+55 48 99911-0015").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(), "ANSWERED"::equals);
		var customer = "vx-c-" + id;
		pbx.script("1001", CallScript.noAnswer());

		assertThat(api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"destination\": \"1002\", \"queueId\": \"%s\"}"
			.formatted(queue)).status()).isEqualTo(400);
		var attended = api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"queueId\": \"%s\", \"mode\": \"attended\"}"
			.formatted(queue));
		assertThat(attended.json().path("errors").get(0).path("field").asString()).isEqualTo("mode");
		var unknown = api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"queueId\": \"%s\"}"
			.formatted(UUID.randomUUID()));
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().path("errors").get(0).path("field").asString()).isEqualTo("queueId");

		var moved = api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"queueId\": \"%s\"}".formatted(queue));

		assertThat(moved.status()).as(moved.body()).isEqualTo(200);
		assertThat(moved.json().path("transfer").path("state").asString()).isEqualTo("COMPLETED");
		assertThat(moved.json().path("transfer").path("destination").asString()).isEqualTo("queue " + name);
		assertThat(awaitEnded(id).path("status").asString()).isEqualTo("TRANSFERRED");
		var offer = await().atMost(Duration.ofSeconds(10)).until(() -> pbx.channels()
			.stream()
			.filter(channel -> channel.id().startsWith("vx-o1-") && channel.state().equals("Ringing"))
			.findFirst(), found -> found.isPresent()).orElseThrow();
		var queued = offer.id().substring("vx-o1-".length());
		var waiting = api.get("acme-agent", "/api/calls/" + queued).json();
		assertThat(waiting.path("direction").asString()).isEqualTo("inbound");
		assertThat(waiting.path("number").asString()).isEqualTo("+5548999110015");
		assertThat(waiting.path("ticket").asString()).isEqualTo(ticket);
		assertThat(waiting.path("queue").asString()).isEqualTo(queue);
		assertThat(pbx.channels()).filteredOn(channel -> channel.id().equals(customer)).singleElement()
			.satisfies(line -> assertThat(line.bridgeId()).isEqualTo("vx-b-" + queued));
		assertThat(pbx.bridgeMusic("vx-b-" + queued)).contains("default");
		assertThat(pbx.channels()).noneMatch(channel -> channel.id().equals("vx-a-" + id));

		pbx.answerFromFarEnd(offer.id());

		var taken = await().atMost(Duration.ofSeconds(10)).until(() -> api.get("acme-agent", "/api/calls/" + queued).json(),
				call -> call.path("status").asString().equals("ANSWERED"));
		assertThat(taken.path("agent").asString()).isEqualTo(agentId);
		pbx.hangUpFromFarEnd(customer, 16);
		assertThat(awaitEnded(queued).path("status").asString()).isEqualTo("COMPLETED");
		await().untilAsserted(() -> assertThat(callEntries(ticket)).extracting(entry -> entry.substring(0, entry.indexOf(':')))
			.containsSubsequence("call.started", "call.answered", "call.ended", "call.started", "call.answered", "call.ended"));
		await().untilAsserted(() -> assertThat(pbx.channels()).noneMatch(channel -> channel.id().endsWith(queued)
				|| channel.id().equals(customer)));
		assertThat(pbx.notices()).as("Voxdesk asked Asterisk for nothing it cannot do").isEmpty();
	}

	/**
	 * A target that is busy or does not answer leaves the customer with the agent, and the record says so; an
	 * attended transfer's music and consultation end with it.
	 */
	@Test
	void aBusyOrSilentTargetLeavesTheCustomerWithTheAgentAndTheRecordSaysWhy() {
		pbx.script("5548999110014", CallScript.answerAfter(Duration.ofMillis(100)));
		pbx.script("1003", CallScript.busy());
		pbx.script("1004", CallScript.noAnswer());
		var id = call(ticket(), "+55 48 99911-0014").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(), "ANSWERED"::equals);
		var agent = "vx-a-" + id;
		var customer = "vx-c-" + id;
		var bridge = "vx-b-" + id;

		assertThat(api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"destination\": \"1003\"}").status())
			.isEqualTo(200);
		var busy = awaitTransfer(id, "BUSY");
		assertThat(busy.path("transfer").path("detail").asString())
			.isEqualTo("1003 was busy (17 User busy); the customer stayed with the agent.");
		assertThat(busy.path("status").asString()).isEqualTo("ANSWERED");
		assertThat(inBridge(bridge)).containsExactlyInAnyOrder(agent, customer);

		var attended = api.post("acme-agent", "/api/calls/" + id + "/transfer",
				"{\"destination\": \"1004\", \"mode\": \"attended\"}");
		assertThat(attended.status()).as(attended.body()).isEqualTo(200);
		assertThat(attended.json().path("transfer").path("attempt").asInt()).isEqualTo(2);
		assertThat(inBridge(bridge)).as("the customer waits alone").containsExactly(customer);
		assertThat(pbx.bridgeMusic(bridge)).as("with music").isPresent();
		assertThat(inBridge("vx-k-" + id)).containsExactly(agent);
		var early = api.postEmpty("acme-agent", "/api/calls/" + id + "/transfer/complete");
		assertThat(early.status()).isEqualTo(409);
		assertThat(early.detail()).contains("1004 has not answered yet");

		var silent = awaitTransfer(id, "NO_ANSWER");
		assertThat(silent.path("transfer").path("detail").asString()).startsWith("1004 did not answer");
		await().untilAsserted(() -> assertThat(inBridge(bridge)).containsExactlyInAnyOrder(agent, customer));
		assertThat(pbx.bridgeMusic(bridge)).isEmpty();

		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/hangup").status()).isEqualTo(200);
		var ended = awaitEnded(id);
		assertThat(ended.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(ended.path("transfer").path("state").asString()).isEqualTo("NO_ANSWER");
	}

	/**
	 * Attended transfer: the agent talks to the target while the customer hears music, then cancels (the agent is
	 * back with the customer) or completes (the target gets the customer, the agent is released).
	 */
	@Test
	void anAttendedTransferLetsTheAgentConsultTheTargetThenCancelOrComplete() {
		pbx.script("5548999110015", CallScript.answerAfter(Duration.ofMillis(100)));
		pbx.script("1005", CallScript.noAnswer());
		var id = call(ticket(), "+55 48 99911-0015").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(), "ANSWERED"::equals);
		var agent = "vx-a-" + id;
		var customer = "vx-c-" + id;
		var bridge = "vx-b-" + id;
		var consult = "vx-k-" + id;
		var body = "{\"destination\": \"1005\", \"mode\": \"attended\"}";

		var bad = api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"destination\": \"1005\", \"mode\": \"warm\"}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body()).contains("mode", "must be blind or attended");
		assertThat(api.post("globex-agent", "/api/calls/" + id + "/transfer", body).status()).isEqualTo(404);
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/transfer/cancel").status())
			.as("nothing to cancel yet").isEqualTo(409);

		assertThat(api.post("acme-agent", "/api/calls/" + id + "/transfer", body).status()).isEqualTo(200);
		await().until(() -> pbx.channels().stream().anyMatch(channel -> channel.id().equals("vx-t1-" + id)));
		pbx.answerFromFarEnd("vx-t1-" + id);
		var consulting = awaitTransfer(id, "ANSWERED");
		assertThat(consulting.path("transfer").path("detail").asString()).contains("hears music on hold");
		await().untilAsserted(() -> assertThat(inBridge(consult)).containsExactlyInAnyOrder(agent, "vx-t1-" + id));
		assertThat(inBridge(bridge)).containsExactly(customer);
		assertThat(api.postEmpty("globex-agent", "/api/calls/" + id + "/transfer/complete").status()).isEqualTo(404);

		var cancelled = api.postEmpty("acme-agent", "/api/calls/" + id + "/transfer/cancel");
		assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
		assertThat(awaitTransfer(id, "CANCELLED").path("transfer").path("detail").asString())
			.isEqualTo("The agent cancelled the transfer to 1005.");
		await().untilAsserted(() -> assertThat(inBridge(bridge)).containsExactlyInAnyOrder(agent, customer));
		assertThat(pbx.channels()).noneMatch(channel -> channel.id().equals("vx-t1-" + id));
		assertThat(pbx.bridgeMusic(bridge)).isEmpty();

		assertThat(api.post("acme-agent", "/api/calls/" + id + "/transfer", body).status()).isEqualTo(200);
		var target = "vx-t2-" + id;
		await().until(() -> pbx.channels().stream().anyMatch(channel -> channel.id().equals(target)));
		pbx.answerFromFarEnd(target);
		awaitTransfer(id, "ANSWERED");
		var complete = api.postEmpty("acme-agent", "/api/calls/" + id + "/transfer/complete");
		assertThat(complete.status()).as(complete.body()).isEqualTo(200);
		assertThat(complete.json().path("transfer").path("state").asString()).isEqualTo("COMPLETED");
		await().untilAsserted(() -> assertThat(inBridge(bridge)).containsExactlyInAnyOrder(customer, target));
		await().untilAsserted(() -> assertThat(pbx.channels()).noneMatch(channel -> channel.id().equals(agent)));
		assertThat(pbx.bridgeMusic(bridge)).isEmpty();
		assertThat(api.get("acme-agent", "/api/calls/" + id).json().path("endedAt").isNull()).isTrue();

		pbx.hangUpFromFarEnd(target, 16);
		var ended = awaitEnded(id);
		assertThat(ended.path("status").asString()).isEqualTo("TRANSFERRED");
		await().untilAsserted(() -> assertThat(pbx.channels()).noneMatch(channel -> channel.id().equals(customer)));
	}

	/**
	 * Asterisk's "default" music on hold class does not exist on many PBXs, and a held customer then hears silence:
	 * the class is a connection setting, used on hold, and Test connection says when Asterisk has no music on hold.
	 */
	@Test
	void heldCustomersHearTheConnectionsMusicClassAndTestConnectionSaysWhenThereIsNone() {
		var withMusic = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Office PBX", ARI_PASSWORD).replace("\"recording\": \"false\"",
						"\"recording\": \"false\", \"holdMusicClass\": \"acme-jazz\""));
		assertThat(withMusic.status()).as(withMusic.body()).isEqualTo(200);
		awaitConnected();
		var invalid = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Office PBX", ARI_PASSWORD).replace("\"recording\": \"false\"",
						"\"recording\": \"false\", \"holdMusicClass\": \"jazz; rm -rf\""));
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.detail()).contains("holdMusicClass");

		pbx.script("5548999110011", CallScript.answerAfter(Duration.ofMillis(100)));
		var id = call(ticket(), "+55 48 99911-0011").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(), "ANSWERED"::equals);
		var customer = "vx-c-" + id;
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/hold").status()).isEqualTo(200);
		assertThat(pbx.musicOnHold(customer)).hasValue("acme-jazz");
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/resume").status()).isEqualTo(200);
		assertThat(pbx.musicOnHold(customer)).isEmpty();
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/hangup").status()).isEqualTo(200);
		awaitEnded(id);

		var withModule = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test").json();
		assertThat(withModule.path("ok").asBoolean()).as(withModule.toString()).isTrue();
		pbx.unloadModule("res_musiconhold.so");
		var without = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test").json();
		assertThat(without.path("ok").asBoolean()).isFalse();
		assertThat(without.path("summary").asString()).contains("no music on hold module", "acme-jazz");
	}

	@Test
	void theNextClickAfterAChangeToTheLineOrTheConnectionFollowsIt() {
		// A click keeps the agent's line and the tenant's connection in memory; each change must reach the next click.
		pbx.script("5548999110010", CallScript.busy());
		pbx.script("5548999110011", CallScript.busy());
		var ticket = ticket();
		awaitEnded(call(ticket, "+55 48 99911-0010").path("id").asString());

		pbx.script("1002", CallScript.answerAfter(Duration.ofMillis(100)));
		var moved = api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1002\", \"active\": true}");
		assertThat(moved.status()).as(moved.body()).isEqualTo(200);
		var second = call(ticket, "+55 48 99911-0011");
		assertThat(second.path("agentExtension").asString()).isEqualTo("1002");
		awaitEnded(second.path("id").asString());
		assertThat(pbx.dialled()).contains("PJSIP/1002");

		var off = api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1002\", \"active\": false}");
		assertThat(off.status()).as(off.body()).isEqualTo(200);
		var refused = api.post("acme-agent", "/api/tickets/" + ticket + "/calls", "{\"number\": \"+55 48 99911-0012\"}");
		assertThat(refused.status()).as(refused.body()).isEqualTo(409);
		assertThat(refused.json().path("detail").asString()).contains("no active personal extension");

		var on = api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1002\", \"active\": true}");
		assertThat(on.status()).as(on.body()).isEqualTo(200);
		var disabled = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Office PBX", ARI_PASSWORD).replace("\"enabled\": true", "\"enabled\": false"));
		assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
		var noProvider = api.post("acme-agent", "/api/tickets/" + ticket + "/calls",
				"{\"number\": \"+55 48 99911-0013\"}");
		assertThat(noProvider.status()).as(noProvider.body()).isEqualTo(409);
		assertThat(noProvider.json().path("detail").asString()).contains("no enabled provider connection");
	}

	@Test
	void aBusyCustomerEndsTheCallAsBusyWithTheCause() {
		pbx.script("5548999110002", CallScript.busy());
		var ticket = ticket();

		var ended = awaitEnded(call(ticket, "+55 48 99911-0002").path("id").asString());

		assertThat(ended.path("status").asString()).isEqualTo("BUSY");
		assertThat(ended.path("hangupCause").asString()).isEqualTo("17 User busy");
		assertThat(ended.path("answeredAt").isNull()).isTrue();
		await().untilAsserted(() -> assertThat(callEntries(ticket))
			.contains("call.ended: Call ended: busy (17 User busy)"));
		await().untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	@Test
	void anAgentWhoDoesNotPickUpGivesNoAnswerAndTheCustomerIsNeverDialled() {
		pbx.script("1001", CallScript.noAnswer());
		var ticket = ticket();

		var ended = awaitEnded(call(ticket, "+55 48 99911-0003").path("id").asString());

		assertThat(ended.path("status").asString()).isEqualTo("NO_ANSWER");
		assertThat(ended.path("hangupCause").asString()).startsWith("19");
		assertThat(pbx.dialled()).doesNotContain("PJSIP/5548999110003@trunk");
	}

	@Test
	void aPbxThatCannotReachTheExtensionFailsTheCallWithItsReason() {
		pbx.script("1001", CallScript.unavailable());
		var ticket = ticket();

		var ended = awaitEnded(call(ticket, "+55 48 99911-0004").path("id").asString());

		assertThat(ended.path("status").asString()).isEqualTo("FAILED");
		assertThat(ended.path("failureReason").asString()).contains("ring extension 1001")
			.contains("Allocation failed");
		await().untilAsserted(() -> assertThat(callEntries(ticket)).anyMatch(entry -> entry.contains("failed")));
	}

	@Test
	void hangingUpWhileTheCustomerRingsCancelsTheCall() {
		pbx.script("5548999110005", CallScript.answerAfter(Duration.ofSeconds(30)));
		var id = call(ticket(), "+55 48 99911-0005").path("id").asString();
		await().until(() -> pbx.dialled().contains("PJSIP/5548999110005@trunk"));

		var hungUp = api.postEmpty("acme-agent", "/api/calls/" + id + "/hangup");
		assertThat(hungUp.status()).as(hungUp.body()).isEqualTo(200);

		assertThat(awaitEnded(id).path("status").asString()).isEqualTo("CANCELLED");
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/hangup").status()).isEqualTo(409);
	}

	/**
	 * A connection a tenant admin deletes lets go of its PBX: its event socket closes and is not opened again (a
	 * session left running would keep the tenant's Stasis application and retry for ever).
	 */
	@Test
	void aDeletedConnectionClosesItsEventSocketAndDoesNotReconnect() {
		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.openEventSockets() == 1);

		assertThat(api.delete("acme-admin", "/api/provider-connections/" + connection).status()).isEqualTo(204);

		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.openEventSockets() == 0);
		var asked = pbx.eventSocketRequests();
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(5))
			.until(() -> pbx.eventSocketRequests() == asked && pbx.openEventSockets() == 0);
	}

	@Test
	void callsMissedWhileTheEventSocketWasDownAreReconciledAfterReconnecting() {
		pbx.script("5548999110006", CallScript.answerAfter(Duration.ofMillis(100)));
		var id = call(ticket(), "+55 48 99911-0006").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(),
				"ANSWERED"::equals);

		pbx.refuseWebSockets(true);
		var dropped = java.time.Instant.now();
		pbx.dropWebSockets();
		var customer = pbx.channels().stream().filter(channel -> channel.id().startsWith("vx-c-")).findFirst().orElseThrow();
		pbx.hangUpFromFarEnd(customer.id(), 16);
		pbx.refuseWebSockets(false);

		var ended = awaitEnded(id);
		assertThat(ended.path("status").asString()).isEqualTo("COMPLETED");
		// Its end was never reported: the best evidence is when the socket was lost, not the last event (the answer).
		assertThat(ended.path("endingEstimated").asBoolean()).isTrue();
		assertThat(java.time.Instant.parse(ended.path("endedAt").asString())).isAfterOrEqualTo(dropped);
		await().untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	/**
	 * Issue 18, point 7 (found by the fault-injection suite): the agent's answer was recorded and the customer dialled,
	 * then the event socket dropped; the customer picked up while nobody listened (a channel cannot enter an
	 * application without a socket, so the PBX hung it up). After the reconnect the agent is up without a customer
	 * leg: the call ends, saying why, and the customer is not dialled a second time. Before, the call stayed ringing
	 * with the agent waiting in silence; a first fix dialled the customer again.
	 */
	@Test
	void aCustomerLegThatEndedWhileTheEventSocketWasDownIsNeverDialledAgain() {
		// The customer answers 5 s after being dialled: time enough to drop the socket first, even on a busy machine.
		pbx.script("5548999110022", CallScript.answerAfter(Duration.ofMillis(5000)).thenHangUpAfter(Duration.ofMillis(200)));
		var id = call(ticket(), "+55 48 99911-0022").path("id").asString();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
			.until(() -> !api.get("acme-agent", "/api/calls/" + id).json().path("agentAnsweredAt").isNull());
		pbx.refuseWebSockets(true);
		try {
			pbx.dropWebSockets();
			await().atMost(Duration.ofSeconds(15)).until(() -> pbx.history().stream()
				.anyMatch(line -> line.contains(" originate vx-c-" + id))
					&& pbx.channels().stream().noneMatch(channel -> channel.id().equals("vx-c-" + id)));
			assertThat(pbx.channels()).anyMatch(channel -> channel.id().equals("vx-a-" + id) && channel.state().equals("Up"));
		}
		finally {
			pbx.refuseWebSockets(false);
		}

		var ended = await().atMost(Duration.ofSeconds(30)).until(() -> api.get("acme-agent", "/api/calls/" + id).json(),
				call -> !call.path("endedAt").isNull());
		assertThat(ended.path("status").asString()).isEqualTo("FAILED");
		assertThat(ended.path("failureReason").asString()).contains("rather than risk calling the customer twice");
		assertThat(pbx.history().stream().filter(line -> line.contains(" originate vx-c-" + id))).hasSize(1);
		await().untilAsserted(() -> assertThat(pbx.channels()).noneMatch(channel -> channel.id().endsWith(id)));
	}

	/**
	 * A transfer's target that hangs up while the event socket is down sends no event Voxdesk sees: after the
	 * reconnect the attempt is over all the same, the agent is back with the customer and may transfer again.
	 */
	@Test
	void aTargetLostWhileTheSocketWasDownEndsTheTransferAfterTheReconnect() {
		pbx.script("5548999110016", CallScript.answerAfter(Duration.ofMillis(100)));
		pbx.script("1006", CallScript.noAnswer());
		var id = call(ticket(), "+55 48 99911-0016").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(),
				"ANSWERED"::equals);
		var target = "vx-t1-" + id;
		var bridge = "vx-b-" + id;
		assertThat(api.post("acme-agent", "/api/calls/" + id + "/transfer",
				"{\"destination\": \"1006\", \"mode\": \"attended\"}").status()).isEqualTo(200);
		await().until(() -> pbx.channels().stream().anyMatch(channel -> channel.id().equals(target)));
		pbx.answerFromFarEnd(target);
		awaitTransfer(id, "ANSWERED");

		pbx.refuseWebSockets(true);
		pbx.dropWebSockets();
		pbx.hangUpFromFarEnd(target, 16);
		pbx.refuseWebSockets(false);

		var over = awaitTransfer(id, "CANCELLED");
		assertThat(over.path("transfer").path("detail").asString()).contains("1006 hung up before the transfer was "
				+ "completed");
		await().untilAsserted(() -> assertThat(inBridge(bridge)).containsExactlyInAnyOrder("vx-a-" + id, "vx-c-" + id));
		assertThat(pbx.bridgeMusic(bridge)).isEmpty();
		var again = api.post("acme-agent", "/api/calls/" + id + "/transfer", "{\"destination\": \"1006\"}");
		assertThat(again.status()).as(again.body()).isEqualTo(200);
		assertThat(again.json().path("transfer").path("attempt").asInt()).isEqualTo(2);
		assertThat(api.postEmpty("acme-agent", "/api/calls/" + id + "/hangup").status()).isEqualTo(200);
		awaitEnded(id);
	}

	/**
	 * An application's channel subscriptions outlive its sockets, and anything connected under the same application
	 * name can remove them: releasing a replaced ari4java client did (its cleanup unsubscribes every channel), and
	 * Asterisk then sent nothing more about calls in progress, which stayed ANSWERED. After every reconnect the
	 * channels of open calls are subscribed again, so their end still arrives.
	 */
	@Test
	void aCallWhoseSubscriptionsWereRemovedStillEndsWhenTheCustomerHangsUpAfterAReconnect() throws Exception {
		pbx.script("5548999110007", CallScript.answerAfter(Duration.ofMillis(100)));
		var id = call(ticket(), "+55 48 99911-0007").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(),
				"ANSWERED"::equals);
		var legs = pbx.channels().stream().map(SimChannel::id).filter(channel -> channel.endsWith(id)).toList();
		assertThat(legs).hasSize(2);

		// Another client of the same application removes the subscriptions (Asterisk answers 404 while no socket
		// of the application is connected, so this happens while one is), then the socket drops.
		for (var leg : legs) {
			var removed = ari("DELETE", "/applications/voxdesk-tests/subscription?eventSource=channel:" + leg);
			assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
		}
		assertThat(ari("GET", "/applications/voxdesk-tests").body()).doesNotContain(legs);
		pbx.dropWebSockets();

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(ari("GET", "/applications/voxdesk-tests").body()).contains(legs));
		var customer = legs.stream().filter(channel -> channel.startsWith("vx-c-")).findFirst().orElseThrow();
		pbx.hangUpFromFarEnd(customer, 16);

		var ended = awaitEnded(id);
		assertThat(ended.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(ended.path("endingEstimated").asBoolean()).isFalse();
	}

	/** A plain ARI request to the PBX, as another ARI client (or the PBX's administrator) would make it. */
	static java.net.http.HttpResponse<String> ari(String method, String path) throws Exception {
		var auth = java.util.Base64.getEncoder().encodeToString(("voxdesk:" + ARI_PASSWORD).getBytes());
		var request = java.net.http.HttpRequest.newBuilder(pbx.baseUrl().resolve("ari" + path))
			.header("Authorization", "Basic " + auth)
			.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
			.build();
		return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The attack: a tenant admin points the connection at a server of their own without re-entering the ARI password,
	 * then presses Test connection, hoping Voxdesk sends the stored password there.
	 */
	@Test
	void changingWhereTheSecretIsSentNeedsTheSecretAgain() throws Exception {
		var captured = new java.util.concurrent.CopyOnWriteArrayList<String>();
		var thief = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		thief.createContext("/", exchange -> {
			captured.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		thief.start();
		try {
			var elsewhere = "http://127.0.0.1:" + thief.getAddress().getPort() + "/";
			var withoutSecret = connectionBody("Office PBX", ARI_PASSWORD).replace(pbx.baseUrl().toString(), elsewhere)
				.replaceAll("\"secret\": \"[^\"]*\",\\s*", "");
			assertThat(withoutSecret).doesNotContain("secret").contains(elsewhere);

			var moved = api.put("acme-admin", "/api/provider-connections/" + connection, withoutSecret);
			var tested = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test");

			assertThat(moved.status()).as(moved.body()).isEqualTo(400);
			assertThat(moved.isProblem()).isTrue();
			assertThat(moved.json().path("errors").get(0).path("field").asString()).isEqualTo("secret");
			assertThat(moved.detail()).contains("enter the ARI password again");
			assertThat(tested.json().path("ok").asBoolean()).as(tested.body()).isTrue();
			assertThat(captured).as("requests that reached the other server").isEmpty();
			var kept = api.get("acme-admin", "/api/provider-connections/" + connection).json();
			assertThat(kept.path("settings").path("baseUrl").asString()).isEqualTo(pbx.baseUrl().toString());

			var confirmed = api.put("acme-admin", "/api/provider-connections/" + connection,
					connectionBody("Office PBX", "the-new-password").replace(pbx.baseUrl().toString(), elsewhere));
			assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
		}
		finally {
			thief.stop(0);
		}
	}

	/** Pressed right after saving, Test connection waits for the first attempt instead of reporting "not yet" as a failure. */
	@Test
	void testConnectionRightAfterSavingWaitsForTheFirstAttempt() {
		pbx.delayWebSockets(Duration.ofMillis(1500));
		JsonNode check;
		try {
			var saved = api.put("acme-admin", "/api/provider-connections/" + connection,
					connectionBody("Office PBX (saved again)", ARI_PASSWORD));
			assertThat(saved.status()).as(saved.body()).isEqualTo(200);

			check = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test").json();
		}
		finally {
			pbx.delayWebSockets(Duration.ZERO);
		}

		assertThat(check.path("ok").asBoolean()).as(check.toString()).isTrue();
		assertThat(check.path("summary").asString()).startsWith("Connected to Asterisk");
	}

	/**
	 * The recording of a call that ended while the socket was down is still running on the PBX (the bridge outlives
	 * the channels): after the reconnect it is ended, fetched, and removed from the PBX.
	 */
	@Test
	void theRecordingOfACallThatEndedWhileDisconnectedIsFetchedAfterTheReconnect() throws Exception {
		var recorded = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Office PBX", ARI_PASSWORD).replace("\"recording\": \"false\"", "\"recording\": \"true\""));
		assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
		awaitConnected();
		pbx.script("5548999110009", CallScript.answerAfter(Duration.ofMillis(100)));
		var id = call(ticket(), "+55 48 99911-0009").path("id").asString();
		await().until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("status").asString(),
				"ANSWERED"::equals);
		await().untilAsserted(() -> assertThat(ari("GET", "/recordings/live/voxdesk-" + id).statusCode()).isEqualTo(200));

		pbx.refuseWebSockets(true);
		try {
			pbx.dropWebSockets();
			for (var leg : pbx.channels().stream().map(SimChannel::id).filter(channel -> channel.endsWith(id)).toList()) {
				pbx.hangUpFromFarEnd(leg, 16);
			}
			// The bridge, and its recording, outlive the channels on the PBX.
			assertThat(ari("GET", "/recordings/live/voxdesk-" + id).statusCode()).isEqualTo(200);
		}
		finally {
			pbx.refuseWebSockets(false);
		}

		assertThat(awaitEnded(id).path("endingEstimated").asBoolean()).isTrue();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> api.get("acme-agent", "/api/calls/" + id).json().path("recorded").asBoolean());
		assertThat(api.getBytes("acme-agent", "/api/calls/" + id + "/recording", null).status()).isEqualTo(200);
		await().untilAsserted(() -> assertThat(ari("GET", "/recordings/stored/voxdesk-" + id).statusCode()).isEqualTo(404));
		assertThat(ari("GET", "/recordings/live/voxdesk-" + id).statusCode()).isEqualTo(404);
	}

	@Test
	void testConnectionTellsWrongCredentialsAndAnUnreachablePbxApartQuickly() throws Exception {
		var wrong = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Office PBX", "not-the-password").replace("\"enabled\": true", "\"enabled\": false"));
		assertThat(wrong.status()).as(wrong.body()).isEqualTo(200);
		var rejected = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test").json();
		assertThat(rejected.path("ok").asBoolean()).isFalse();
		assertThat(rejected.path("summary").asString()).isEqualTo("The PBX rejected the ARI username or password.");

		var unreachable = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Office PBX", ARI_PASSWORD).replace("\"enabled\": true", "\"enabled\": false")
					.replace(pbx.baseUrl().toString(), "http://127.0.0.1:9"));
		assertThat(unreachable.status()).as(unreachable.body()).isEqualTo(200);
		var refused = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test").json();
		assertThat(refused.path("ok").asBoolean()).isFalse();
		assertThat(refused.path("summary").asString()).contains("cannot be reached").contains("connection refused");
		assertThat(refused.path("durationMillis").asLong()).isLessThan(5_000);

		// A PBX that accepts the connection and never answers: reported as a timeout, within seconds.
		try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			var hanging = api.put("acme-admin", "/api/provider-connections/" + connection,
					connectionBody("Office PBX", ARI_PASSWORD).replace("\"enabled\": true", "\"enabled\": false")
						.replace(pbx.baseUrl().toString(), "http://127.0.0.1:" + silent.getLocalPort()));
			assertThat(hanging.status()).as(hanging.body()).isEqualTo(200);
			var timedOut = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test").json();
			assertThat(timedOut.path("ok").asBoolean()).isFalse();
			assertThat(timedOut.path("summary").asString()).contains("no answer within 3 s");
			assertThat(timedOut.path("durationMillis").asLong()).isLessThan(6_000);
		}

		var good = api.put("acme-admin", "/api/provider-connections/" + connection, connectionBody("Office PBX", ARI_PASSWORD));
		assertThat(good.status()).as(good.body()).isEqualTo(200);
		awaitConnected();
		var ok = api.postEmpty("acme-admin", "/api/provider-connections/" + connection + "/test").json();
		assertThat(ok.path("summary").asString()).isEqualTo("Connected to Asterisk 22.10.1; calls can be placed.");
		var health = api.get("platform", "/actuator/health").json().path("components").path("asterisk");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path(connection).asString()).startsWith("connected since");
	}

	@Test
	void theSecretIsWriteOnlyAndNeverLogged(CapturedOutput output) {
		var shown = api.get("acme-admin", "/api/provider-connections/" + connection);
		assertThat(shown.body()).doesNotContain(ARI_PASSWORD).contains("\"secretSet\":true");
		assertThat(api.get("acme-admin", "/api/provider-connections").body()).doesNotContain(ARI_PASSWORD);
		var renamed = api.put("acme-admin", "/api/provider-connections/" + connection,
				connectionBody("Renamed PBX", ARI_PASSWORD).replace(", \"secret\": \"%s\"".formatted(ARI_PASSWORD), ""));
		assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
		awaitConnected();
		assertThat(output.getAll()).doesNotContain(ARI_PASSWORD);
		var audit = api.get("acme-admin", "/api/audit-entries").body();
		assertThat(audit).contains("provider-connection.created").doesNotContain(ARI_PASSWORD);
	}

	@Test
	void anotherTenantCannotSeeOrChangeTheConnectionOrTheCalls() {
		pbx.script("5548999110007", CallScript.busy());
		var id = call(ticket(), "+55 48 99911-0007").path("id").asString();

		// The attack: globex's admin and agent use acme's ids.
		assertThat(api.get("globex-admin", "/api/provider-connections/" + connection).status()).isEqualTo(404);
		assertThat(api.put("globex-admin", "/api/provider-connections/" + connection, connectionBody("Mine", "x")).status())
			.isEqualTo(404);
		assertThat(api.postEmpty("globex-admin", "/api/provider-connections/" + connection + "/test").status())
			.isEqualTo(404);
		assertThat(api.delete("globex-admin", "/api/provider-connections/" + connection).status()).isEqualTo(404);
		assertThat(api.get("globex-agent", "/api/calls/" + id).status()).isEqualTo(404);
		assertThat(api.postEmpty("globex-agent", "/api/calls/" + id + "/hangup").status()).isEqualTo(404);
		assertThat(api.get("acme-admin", "/api/provider-connections/" + connection).status()).isEqualTo(200);
		// The next test deletes the connection: the busy call must have released the agent's phone by then.
		awaitEnded(id);
		await().untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	@Test
	void onlyTenantAdminsManageConnectionsAndBadInputGetsAProblemNamingTheField() {
		assertThat(api.get("acme-agent", "/api/provider-connections").status()).isEqualTo(403);
		assertThat(api.post("acme-agent", "/api/provider-connections", connectionBody("Agent's", "x")).status())
			.isEqualTo(403);

		var badUrl = api.post("acme-admin", "/api/provider-connections",
				connectionBody("Bad", "x").replace(pbx.baseUrl().toString(), "ftp:/nowhere").replace("\"enabled\": true",
						"\"enabled\": false"));
		assertThat(badUrl.status()).isEqualTo(400);
		assertThat(badUrl.isProblem()).isTrue();
		assertThat(badUrl.json().path("detail").asString()).contains("baseUrl 'ftp:/nowhere' is not an http or https URL");

		var noSecret = api.post("acme-admin", "/api/provider-connections",
				connectionBody("No secret", "").replace("\"enabled\": true", "\"enabled\": false"));
		assertThat(noSecret.status()).isEqualTo(400);
		assertThat(noSecret.json().path("detail").asString()).contains("needs its ARI password");

		var unknownKind = api.post("acme-admin", "/api/provider-connections",
				connectionBody("Odd", "x").replace("\"asterisk\"", "\"freeswitch\""));
		assertThat(unknownKind.status()).isEqualTo(400);
		assertThat(unknownKind.json().path("detail").asString()).contains("freeswitch");

		var second = api.post("acme-admin", "/api/provider-connections", connectionBody("Second PBX", "x"));
		assertThat(second.status()).isEqualTo(409);
		assertThat(second.json().path("detail").asString()).contains("disable it first");

		var badNumber = api.post("acme-agent", "/api/calls", "{\"number\": \"12\"}");
		assertThat(badNumber.status()).isEqualTo(400);
		assertThat(badNumber.json().path("detail").asString()).startsWith("number:");
		assertThat(api.post("acme-agent", "/api/calls", "{\"number\": \"\"}").status()).isEqualTo(400);
		assertThat(api.post("acme-agent", "/api/calls", "{\"number\": ").status()).isEqualTo(400);
	}
}

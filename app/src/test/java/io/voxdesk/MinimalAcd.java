package io.voxdesk;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.voxdesk.testing.arisim.AriSimulatorSettings;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The least an ACD on ARI does for a caller, with no database, no tenant, no contact and no popup: the benchmark's
 * reference for what this machine and the simulated PBX give ({@link InboundBenchmark}). On a caller's
 * {@code StasisStart} it originates a free agent's leg at once (else queues the caller) and answers the caller; on
 * the agent's {@code StasisStart} it bridges the two; when the agent hangs up it hangs up the caller and rings the
 * next one waiting. Requests go out on four threads, as Voxdesk's; events are handled in order on the socket's thread.
 */
final class MinimalAcd implements AutoCloseable {

	static final String APP = "voxdesk-bench-floor";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ExecutorService requests = Executors.newFixedThreadPool(4);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.executor(requests)
		.build();

	private final String baseUrl;

	private final String credentials;

	private final Deque<String> freeAgents = new ArrayDeque<>();

	private final Deque<String> waiting = new ArrayDeque<>();

	/** Agent leg channel id → the extension rung and the caller it is for. */
	private final Map<String, String[]> legs = new HashMap<>();

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicLong failures = new AtomicLong();

	private final WebSocket socket;

	MinimalAcd(String pbxUrl, Collection<String> agentExtensions) throws Exception {
		var settings = AriSimulatorSettings.defaults();
		this.baseUrl = pbxUrl + "/ari";
		this.credentials = settings.username() + ":" + settings.password();
		freeAgents.addAll(agentExtensions);
		this.socket = http.newWebSocketBuilder()
			.buildAsync(URI.create(pbxUrl.replaceFirst("^http", "ws") + "/ari/events?app=" + APP + "&api_key="
					+ URLEncoder.encode(credentials, StandardCharsets.UTF_8)), new Events())
			.get(30, TimeUnit.SECONDS);
	}

	/** Callers who talked to an agent and were hung up since the last {@link #reset}. */
	int served() {
		return served.get();
	}

	/** PBX requests that did not succeed (none expected). */
	long failures() {
		return failures.get();
	}

	void reset() {
		served.set(0);
		failures.set(0);
	}

	private synchronized void handle(JsonNode event) {
		var type = event.path("type").asString();
		var channel = event.path("channel").path("id").asString();
		if ("StasisStart".equals(type)) {
			var args = event.path("args");
			if ("inbound".equals(args.path(0).asString())) {
				var agent = freeAgents.poll();
				if (agent == null) {
					waiting.add(channel);
				}
				else {
					ring(agent, channel);
				}
				post("/channels/" + channel + "/answer");
			}
			else if ("offer".equals(args.path(1).asString())) {
				var bridge = "floor-bridge-" + channel;
				post("/bridges/" + bridge + "?type=mixing").thenCompose(created -> post("/bridges/" + bridge
						+ "/addChannel?channel=" + args.path(2).asString() + "," + channel));
			}
		}
		else if ("ChannelDestroyed".equals(type) || "StasisEnd".equals(type)) {
			var leg = legs.remove(channel);
			if (leg == null) {
				return;
			}
			send("DELETE", "/channels/" + leg[1]);
			send("DELETE", "/bridges/floor-bridge-" + channel);
			served.incrementAndGet();
			var next = waiting.poll();
			if (next == null) {
				freeAgents.add(leg[0]);
			}
			else {
				ring(leg[0], next);
			}
		}
	}

	private void ring(String agent, String caller) {
		var leg = "floor-" + UUID.randomUUID();
		legs.put(leg, new String[] { agent, caller });
		post("/channels/" + leg + "?endpoint=PJSIP/" + agent + "&app=" + APP + "&appArgs=floor,offer," + caller
				+ "&timeout=20");
	}

	private CompletableFuture<Integer> post(String path) {
		return send("POST", path);
	}

	private CompletableFuture<Integer> send(String method, String path) {
		return http
			.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + path))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder()
					.encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
				.timeout(Duration.ofSeconds(10))
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.discarding())
			.handle((response, error) -> {
				// A caller or bridge already gone when the agent hangs up (404) is not a failure of the floor.
				if (error != null || (response.statusCode() >= 300 && response.statusCode() != 404)) {
					failures.incrementAndGet();
				}
				return error != null ? 0 : response.statusCode();
			});
	}

	@Override
	public void close() {
		socket.abort();
		requests.shutdownNow();
	}

	/** Puts a message's parts together and hands each whole event to {@link #handle}, in order. */
	private final class Events implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			text.append(data);
			if (last) {
				handle(JSON.readTree(text.toString()));
				text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}
	}
}

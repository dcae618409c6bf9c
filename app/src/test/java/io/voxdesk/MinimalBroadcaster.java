package io.voxdesk;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.UUID;
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
 * The least a broadcast dialer on ARI does, with no database, no tenant, no attempt rows and no detection: the
 * reference of {@link CampaignBenchmark}. It keeps {@code target} calls up: originates a number straight into its
 * Stasis application, plays the message when it answers, hangs up when the playback finished, and originates the next
 * number when a channel is destroyed. Requests go out on four threads, as Voxdesk's; events are handled in order on
 * the socket's thread.
 */
final class MinimalBroadcaster implements AutoCloseable {

	static final String APP = "voxdesk-bench-broadcast-floor";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ExecutorService requests = Executors.newFixedThreadPool(4);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.executor(requests)
		.build();

	private final String baseUrl;

	private final String credentials;

	private final String media;

	private final Iterator<String> numbers;

	private final AtomicInteger completed = new AtomicInteger();

	private final AtomicLong failures = new AtomicLong();

	private final WebSocket socket;

	MinimalBroadcaster(String pbxUrl, String media, Iterator<String> numbers) throws Exception {
		var settings = AriSimulatorSettings.defaults();
		this.baseUrl = pbxUrl + "/ari";
		this.credentials = settings.username() + ":" + settings.password();
		this.media = media;
		this.numbers = numbers;
		this.socket = http.newWebSocketBuilder()
			.buildAsync(URI.create(pbxUrl.replaceFirst("^http", "ws") + "/ari/events?app=" + APP + "&api_key="
					+ URLEncoder.encode(credentials, StandardCharsets.UTF_8)), new Events())
			.get(30, TimeUnit.SECONDS);
	}

	/** Places {@code count} calls at once; each ended one is replaced by the next number. */
	synchronized void start(int count) {
		for (int i = 0; i < count; i++) {
			next();
		}
	}

	/** Calls that played the message and were hung up. */
	int completed() {
		return completed.get();
	}

	long failures() {
		return failures.get();
	}

	private void next() {
		if (!numbers.hasNext()) {
			return;
		}
		send("POST", "/channels/floor-" + UUID.randomUUID() + "?endpoint=PJSIP/" + numbers.next() + "@trunk&app=" + APP
				+ "&timeout=30");
	}

	private synchronized void handle(JsonNode event) {
		var type = event.path("type").asString();
		switch (type) {
			case "StasisStart" -> send("POST", "/channels/" + event.path("channel").path("id").asString() + "/play?media="
					+ URLEncoder.encode(media, StandardCharsets.UTF_8));
			case "PlaybackFinished" -> {
				var target = event.path("playback").path("target_uri").asString();
				send("DELETE", "/channels/" + target.substring(target.indexOf(':') + 1));
			}
			case "ChannelDestroyed" -> {
				completed.incrementAndGet();
				next();
			}
			default -> {
			}
		}
	}

	private void send(String method, String path) {
		http.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + path))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
			.timeout(Duration.ofSeconds(10))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
				if (error != null || (response.statusCode() >= 300 && response.statusCode() != 404)) {
					failures.incrementAndGet();
				}
				return null;
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

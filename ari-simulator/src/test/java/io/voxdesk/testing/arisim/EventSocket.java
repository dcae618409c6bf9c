package io.voxdesk.testing.arisim;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of {@code /ari/events} that keeps every event it receives, for tests. */
final class EventSocket implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<JsonNode> events = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	private volatile int closeCode = -1;

	private final WebSocket webSocket;

	private EventSocket(HttpClient client, URI uri) {
		this.webSocket = client.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
	}

	/** Opens the socket and returns once the server answered the upgrade with 101. */
	static EventSocket open(URI uri) {
		return new EventSocket(HttpClient.newHttpClient(), uri);
	}

	static EventSocket open(AriSimulator simulator, String app, boolean subscribeAll) {
		AriSimulatorSettings settings = simulator.settings();
		return open(URI.create("ws://127.0.0.1:" + simulator.port() + "/ari/events?app=" + app + "&api_key="
				+ settings.username() + ":" + settings.password() + "&subscribeAll=" + subscribeAll));
	}

	List<JsonNode> events() {
		return List.copyOf(events);
	}

	List<String> types() {
		return events.stream().map(event -> event.get("type").asString()).toList();
	}

	/** Waits for the first event that matches and returns it. */
	JsonNode awaitEvent(Predicate<JsonNode> matching) {
		return await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> events.stream().filter(matching).findFirst(), found -> found.isPresent())
			.orElseThrow();
	}

	JsonNode awaitType(String type, String channelId) {
		return awaitEvent(event -> type.equals(event.get("type").asString())
				&& channelId.equals(event.path("channel").path("id").asString(null)));
	}

	boolean isClosed() {
		return closed;
	}

	int closeCode() {
		return closeCode;
	}

	/** Closes from the client side and waits until the server has answered the close. */
	@Override
	public void close() {
		if (!closed) {
			webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> closed);
		}
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			text.append(data);
			if (last) {
				events.add(JSON.readTree(text.toString()));
				text.setLength(0);
			}
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
			closeCode = statusCode;
			closed = true;
			return null;
		}

		@Override
		public void onError(WebSocket socket, Throwable error) {
			closed = true;
		}
	}
}

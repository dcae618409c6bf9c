package io.voxdesk;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A load client in a process of its own, as issue 18's STOMP fan-out benchmark asks: opens many STOMP sessions spread
 * over several instances, all subscribed to one destination, and notes when each session first hears each call
 * answered (its first frame with an {@code answeredAt}), against the moment the PBX reported the answer ({@code answeredAt}, stamped by the simulated PBX on this
 * machine's clock). Prints {@code READY <sessions>} once every session is subscribed, then {@code PROGRESS <answers
 * heard>} every second; on a line {@code STOP} on its input prints {@code HEARD <call> <sessions>} per call,
 * {@code FRAMES <messages received>}, {@code CPU <seconds>} and {@code LATENCIES <ms,...>}, then exits.
 * <p>
 * It shares the machine with the instances it measures, so it does as little as a client can: the JDK's WebSocket
 * client (one selector thread for every socket), STOMP frames written and read by hand, and only frames saying a
 * call is answered looked into. Spring's STOMP client spent a third of the machine decoding headers here.
 *
 * <p>Arguments: the instances' ports (comma-separated), the number of sessions, the destination; the access token
 * comes in {@code VOXDESK_LOAD_TOKEN}.
 */
final class StompLoadClient {

	private StompLoadClient() {
	}

	/** One STOMP session: connects, subscribes once connected, and times the answers it hears. */
	private static final class Session implements WebSocket.Listener {

		final CompletableFuture<Void> subscribed = new CompletableFuture<>();

		final String token;

		final String destination;

		final Results results;

		final Set<String> answered = new HashSet<>();

		final StringBuilder partial = new StringBuilder();

		Session(String token, String destination, Results results) {
			this.token = token;
			this.destination = destination;
			this.results = results;
		}

		/** The JDK's WebSocket refuses a send while another is pending: SUBSCRIBE waits for CONNECT to be sent. */
		volatile CompletableFuture<WebSocket> connectSent = new CompletableFuture<>();

		@Override
		public void onOpen(WebSocket socket) {
			connectSent = socket.sendText("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\nAuthorization:Bearer " + token
					+ "\n\n\0", true);
			socket.request(1);
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			var received = System.currentTimeMillis();
			partial.append(data);
			if (last) {
				var frame = partial.toString();
				partial.setLength(0);
				frame(socket, frame, received);
			}
			socket.request(1);
			return null;
		}

		private void frame(WebSocket socket, String frame, long received) {
			if (frame.startsWith("MESSAGE")) {
				results.frames.incrementAndGet();
				// The first frame that says the call was answered: ANSWERED, or a later state if a session behind
				// skipped to it (the server conflates a tenant feed's states for sessions that fall behind).
				var at = field(frame, "answeredAt");
				if (at == null) {
					return;
				}
				var id = field(frame, "id");
				if (id != null && answered.add(id)) {
					results.latencies.add(received - Instant.parse(at).toEpochMilli());
					results.heard.computeIfAbsent(id, call -> new AtomicInteger()).incrementAndGet();
				}
			}
			else if (frame.startsWith("CONNECTED")) {
				connectSent.thenCompose(sent -> sent.sendText("SUBSCRIBE\nid:sub-0\ndestination:" + destination + "\n\n\0", true))
					.whenComplete((sent, failed) -> {
						if (failed == null) {
							subscribed.complete(null);
						}
						else {
							subscribed.completeExceptionally(failed);
						}
					});
			}
			else if (frame.startsWith("ERROR")) {
				results.errors.incrementAndGet();
				subscribed.completeExceptionally(new IllegalStateException(frame.lines().limit(4).toList().toString()));
			}
		}

		/** The first string value of a JSON field in the frame's body (the call's own fields come before nested ones). */
		private static @Nullable String field(String frame, String name) {
			var key = "\"" + name + "\":\"";
			var body = frame.indexOf("\n\n");
			var start = frame.indexOf(key, body);
			if (start < 0) {
				return null;
			}
			start += key.length();
			var end = frame.indexOf('"', start);
			return end < 0 ? null : frame.substring(start, end);
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
			subscribed.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
			return null;
		}

		@Override
		public void onError(WebSocket socket, Throwable error) {
			results.errors.incrementAndGet();
			subscribed.completeExceptionally(error);
		}
	}

	/** What every session heard. */
	private static final class Results {

		final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

		final Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();

		final AtomicInteger errors = new AtomicInteger();

		final AtomicLong frames = new AtomicLong();
	}

	public static void main(String[] args) throws Exception {
		var ports = List.of(args[0].split(","));
		var sessions = Integer.parseInt(args[1]);
		var destination = args[2];
		var token = System.getenv("VOXDESK_LOAD_TOKEN");
		var http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
		var results = new Results();
		var open = new ArrayList<WebSocket>();
		for (var first = 0; first < sessions; first += 100) {
			var connecting = new ArrayList<Session>();
			var sockets = new ArrayList<CompletableFuture<WebSocket>>();
			for (var n = first; n < Math.min(sessions, first + 100); n++) {
				var port = ports.get(n % ports.size());
				var session = new Session(token, destination, results);
				connecting.add(session);
				sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), session));
			}
			for (var n = 0; n < connecting.size(); n++) {
				open.add(sockets.get(n).get(30, TimeUnit.SECONDS));
				connecting.get(n).subscribed.get(30, TimeUnit.SECONDS);
			}
		}
		System.out.println("READY " + open.size());
		System.out.flush();
		var progress = Thread.ofPlatform().daemon().start(() -> {
			try {
				while (true) {
					Thread.sleep(1000);
					System.out.println("PROGRESS " + results.latencies.size());
					System.out.flush();
				}
			}
			catch (InterruptedException stopped) {
				Thread.currentThread().interrupt();
			}
		});
		var input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		do {
			line = input.readLine();
		}
		while (line != null && !line.equals("STOP"));
		progress.interrupt();
		for (Map.Entry<String, AtomicInteger> call : results.heard.entrySet()) {
			System.out.println("HEARD " + call.getKey() + " " + call.getValue().get());
		}
		System.out.println("ERRORS " + results.errors.get());
		System.out.println("FRAMES " + results.frames.get());
		System.out.println("CPU " + ProcessHandle.current().info().totalCpuDuration().map(cpu -> cpu.toMillis() / 1000.0)
			.orElse(-1.0));
		System.out.println("LATENCIES " + results.latencies.stream().map(String::valueOf).collect(Collectors.joining(",")));
		System.out.flush();
		open.forEach(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
		System.exit(0);
	}
}

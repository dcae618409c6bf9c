package io.voxdesk;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * A load client in a process of its own, as issue 18's STOMP fan-out benchmark asks: opens many STOMP sessions spread
 * over several instances, all subscribed to one destination, and notes when each session first hears each call
 * answered, against the moment the PBX reported the answer ({@code answeredAt}, stamped by the simulated PBX on this
 * machine's clock). Prints {@code READY <sessions>} once every session is subscribed, then {@code PROGRESS <answers
 * heard>} every second; on a line {@code STOP} on its input prints {@code HEARD <call> <sessions>} per call and {@code LATENCIES <ms,...>}, then exits.
 *
 * <p>Arguments: the instances' ports (comma-separated), the number of sessions, the destination; the access token
 * comes in {@code VOXDESK_LOAD_TOKEN}.
 */
final class StompLoadClient {

	private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	private static final Pattern ANSWERED_AT = Pattern.compile("\"answeredAt\":\"([^\"]+)\"");

	private StompLoadClient() {
	}

	/** Frames as text whatever their content type: the client only searches them, which costs less than parsing. */
	private static final class Text extends StringMessageConverter {

		Text() {
			addSupportedMimeTypes(MimeTypeUtils.APPLICATION_JSON);
		}
	}

	public static void main(String[] args) throws Exception {
		var ports = List.of(args[0].split(","));
		var sessions = Integer.parseInt(args[1]);
		var destination = args[2];
		var token = System.getenv("VOXDESK_LOAD_TOKEN");
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new Text());
		var latencies = new ConcurrentLinkedQueue<Long>();
		var heard = new ConcurrentHashMap<String, AtomicInteger>();
		var errors = new AtomicInteger();
		var open = new ArrayList<StompSession>();
		var headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + token);
		for (var first = 0; first < sessions; first += 100) {
			var connecting = new ArrayList<CompletableFuture<StompSession>>();
			for (var n = first; n < Math.min(sessions, first + 100); n++) {
				var port = ports.get(n % ports.size());
				connecting.add(client.connectAsync("ws://127.0.0.1:" + port + "/ws", new WebSocketHttpHeaders(), headers,
						new StompSessionHandlerAdapter() {

							@Override
							public void handleTransportError(StompSession session, Throwable exception) {
								errors.incrementAndGet();
							}
						}));
			}
			for (var connected : connecting) {
				var session = connected.get(30, TimeUnit.SECONDS);
				Set<String> answered = ConcurrentHashMap.newKeySet();
				session.subscribe(destination, new StompFrameHandler() {

					@Override
					public java.lang.reflect.Type getPayloadType(StompHeaders frame) {
						return String.class;
					}

					@Override
					public void handleFrame(StompHeaders frame, @Nullable Object payload) {
						var received = System.currentTimeMillis();
						var body = String.valueOf(payload);
						if (!body.contains("\"status\":\"ANSWERED\"")) {
							return;
						}
						var id = ID.matcher(body);
						var at = ANSWERED_AT.matcher(body);
						if (id.find() && at.find() && answered.add(id.group(1))) {
							latencies.add(received - Instant.parse(at.group(1)).toEpochMilli());
							heard.computeIfAbsent(id.group(1), call -> new AtomicInteger()).incrementAndGet();
						}
					}
				});
				open.add(session);
			}
		}
		// A subscription reaches the broker a moment after the SUBSCRIBE frame: a receipt-less client cannot tell when.
		System.out.println("READY " + open.size());
		System.out.flush();
		var progress = Thread.ofPlatform().daemon().start(() -> {
			try {
				while (true) {
					Thread.sleep(1000);
					System.out.println("PROGRESS " + latencies.size());
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
		for (Map.Entry<String, AtomicInteger> call : heard.entrySet()) {
			System.out.println("HEARD " + call.getKey() + " " + call.getValue().get());
		}
		System.out.println("ERRORS " + errors.get());
		System.out.println("LATENCIES " + latencies.stream().map(String::valueOf).collect(Collectors.joining(",")));
		System.out.flush();
		open.forEach(StompSession::disconnect);
		System.exit(0);
	}
}

package io.voxdesk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.voxdesk.testing.KeycloakTestServer;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import tools.jackson.databind.JsonNode;

/**
 * A user's STOMP session on one instance, keeping every frame it receives (with the destination the server named)
 * and every error, for tests that assert on what a client heard.
 */
final class StompFeed implements AutoCloseable {

	/** A message frame as the client got it. */
	record Frame(String destination, JsonNode body) {
	}

	final List<Frame> frames = new CopyOnWriteArrayList<>();

	final List<String> errors = new CopyOnWriteArrayList<>();

	private final StompSession session;

	private StompFeed(int port, String token) throws Exception {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new CompositeMessageConverter(List.of(new StringMessageConverter(),
				new JacksonJsonMessageConverter())));
		var headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + token);
		session = client.connectAsync("ws://127.0.0.1:" + port + "/ws", new WebSocketHttpHeaders(), headers,
				new StompSessionHandlerAdapter() {

					@Override
					public void handleFrame(StompHeaders frame, @Nullable Object payload) {
						errors.add(String.valueOf(frame.getFirst("message")));
					}

					@Override
					public void handleTransportError(StompSession failed, Throwable exception) {
						errors.add("closed: " + exception.getClass().getSimpleName());
					}
				})
			.get(10, TimeUnit.SECONDS);
	}

	/** Connects {@code user} (a demo user, with a real Keycloak token) to the instance on {@code port}. */
	static StompFeed connect(int port, String user) throws Exception {
		return new StompFeed(port, KeycloakTestServer.accessToken(user));
	}

	/** Connects with an access token of any kind (a service account's, say). */
	static StompFeed connectWithToken(int port, String token) throws Exception {
		return new StompFeed(port, token);
	}

	StompFeed subscribe(String destination) {
		session.subscribe(destination, new StompFrameHandler() {

			@Override
			public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
				return JsonNode.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				if (payload instanceof JsonNode body) {
					frames.add(new Frame(String.valueOf(headers.getDestination()), body));
				}
			}
		});
		return this;
	}

	/** The frames about one call, in the order received. */
	List<Frame> about(String callId) {
		return frames.stream().filter(frame -> frame.body().path("id").asString("").equals(callId)).toList();
	}

	boolean connected() {
		return session.isConnected();
	}

	@Override
	public void close() {
		if (session.isConnected()) {
			session.disconnect();
		}
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.voxdesk.testing.KeycloakTestServer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * The STOMP endpoint's sessions with real WebSocket clients and Keycloak tokens: expiry, tenant status, sockets
 * that never authenticate, and what reaches the log.
 * <p>
 * Keycloak's tokens here live 5 minutes. Rather than wait for one to expire or change the realm, the application
 * gets a clock this test moves: the session check compares the token's own {@code exp} with that clock, exactly as
 * it compares it with the real time in production.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voxdesk.realtime.connect-timeout=1s", "voxdesk.realtime.session-check-interval=200ms" })
@ExtendWith(OutputCaptureExtension.class)
class StompSessionTests {

	@LocalServerPort
	int port;

	@Autowired
	MovableClock clock;

	@Autowired
	SimpMessagingTemplate messaging;

	VoxdeskApi api;

	@TestConfiguration
	static class Clocks {

		@Bean
		MovableClock clock() {
			return new MovableClock();
		}
	}

	@BeforeEach
	void demoTenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("initech");
	}

	@AfterEach
	void restore() {
		clock.reset();
		api.ensureActiveTenant("initech");
	}

	@Test
	void aSessionWhoseTokenExpiredGetsAnErrorFrameIsClosedAndReceivesNothingMore() throws Exception {
		var errors = new CopyOnWriteArrayList<String>();
		var feed = new ConcurrentLinkedQueue<String>();
		var admin = connect("acme-admin", errors);
		admin.subscribe("/topic/tenants/acme/calls", collect(feed));
		await().untilAsserted(() -> {
			messaging.convertAndSend("/topic/tenants/acme/calls", "before expiry");
			assertThat(feed).contains("before expiry");
		});
		var expiresAt = Instant.ofEpochSecond(
				KeycloakTestServer.token("acme-admin").path("expires_in").asLong() + Instant.now().getEpochSecond());

		clock.set(expiresAt.plusSeconds(80));
		messaging.convertAndSend("/topic/tenants/acme/calls", "after expiry");

		await().atMost(Duration.ofSeconds(10)).until(() -> !admin.isConnected());
		await().untilAsserted(() -> assertThat(errors).anyMatch(error -> error.contains("access token has expired")));
		assertThat(feed).doesNotContain("after expiry");

		var again = new CopyOnWriteArrayList<String>();
		connectOrFail("acme-admin", again);
		await().untilAsserted(() -> assertThat(again).anyMatch(error -> error.contains("access token has expired")));
	}

	@Test
	void usersWithoutAnActiveTenantAreRefusedAtConnectAndAtSubscribe() throws Exception {
		var nobody = new CopyOnWriteArrayList<String>();
		connectOrFail("nobody", nobody);
		await().untilAsserted(() -> assertThat(nobody).anyMatch(error -> error.contains("not assigned to a tenant")));

		var stranger = new CopyOnWriteArrayList<String>();
		connectOrFail("stranger", stranger);
		await().untilAsserted(() -> assertThat(stranger)
			.anyMatch(error -> error.contains("tenant 'umbrella', which Voxdesk does not know")));

		var initechErrors = new CopyOnWriteArrayList<String>();
		var initech = connect("initech-admin", initechErrors);
		assertThat(api.postEmpty("platform", "/api/tenants/initech/deactivate").status()).isEqualTo(200);
		initech.subscribe("/user/queue/calls", collect(new ConcurrentLinkedQueue<>()));
		await().until(() -> !initech.isConnected());
		await().untilAsserted(() -> assertThat(initechErrors).anyMatch(error -> error.contains("'initech' is deactivated")));

		var deactivated = new CopyOnWriteArrayList<String>();
		connectOrFail("initech-admin", deactivated);
		await().untilAsserted(() -> assertThat(deactivated).anyMatch(error -> error.contains("'initech' is deactivated")));
	}

	@Test
	void aSocketThatNeverAuthenticatesIsClosed() throws Exception {
		var closed = new java.util.concurrent.CompletableFuture<CloseStatus>();
		new StandardWebSocketClient().execute(new TextWebSocketHandler() {

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
				closed.complete(status);
			}
		}, "ws://127.0.0.1:" + port + "/ws").get(10, TimeUnit.SECONDS);

		var status = closed.get(10, TimeUnit.SECONDS);

		assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
	}

	@Test
	void aSubscriptionDestinationReachesTheLogWithoutItsLineBreaks(CapturedOutput output) throws Exception {
		var errors = new CopyOnWriteArrayList<String>();
		var agent = connect("acme-agent", errors);

		agent.subscribe("/topic/tenants/acme/calls\n2026-01-01 ERROR forged log line", collect(new ConcurrentLinkedQueue<>()));

		await().until(() -> !agent.isConnected());
		await().untilAsserted(() -> assertThat(output.getAll()).contains("STOMP SUBSCRIBE to /topic/tenants/acme/calls?"));
		assertThat(output.getAll().lines()).noneMatch(line -> line.startsWith("2026-01-01 ERROR forged log line"));
	}

	private StompSession connect(String user, List<String> errors) throws Exception {
		return client().connectAsync("ws://127.0.0.1:" + port + "/ws", new WebSocketHttpHeaders(), headers(user),
				handler(errors))
			.get(10, TimeUnit.SECONDS);
	}

	/** Connects and records the refusal, whether it arrives as an ERROR frame or as a failed connection. */
	private void connectOrFail(String user, List<String> errors) {
		try {
			connect(user, errors);
		}
		catch (Exception ex) {
			errors.add("failed: " + ex);
		}
	}

	private static WebSocketStompClient client() {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new StringMessageConverter());
		return client;
	}

	private static StompHeaders headers(String user) {
		var headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + KeycloakTestServer.accessToken(user));
		return headers;
	}

	private static StompSessionHandlerAdapter handler(List<String> errors) {
		return new StompSessionHandlerAdapter() {

			@Override
			public void handleFrame(StompHeaders frame, @Nullable Object payload) {
				errors.add(String.valueOf(frame.getFirst("message")));
			}

			@Override
			public void handleTransportError(StompSession session, Throwable exception) {
				errors.add("closed: " + exception.getClass().getSimpleName());
			}
		};
	}

	private static StompFrameHandler collect(ConcurrentLinkedQueue<String> into) {
		return new StompFrameHandler() {

			@Override
			public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
				return String.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				into.add(String.valueOf(payload));
			}
		};
	}

	/** The real time until a test sets it. */
	static final class MovableClock extends Clock {

		private volatile @Nullable Instant fixed;

		void set(Instant now) {
			fixed = now;
		}

		void reset() {
			fixed = null;
		}

		@Override
		public Instant instant() {
			var now = fixed;
			return now == null ? Instant.now() : now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}
	}
}

package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.TestDatabase;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
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
 * Agents' presence over real HTTP and STOMP with Keycloak tokens (issue 16, point 7): an agent chooses available,
 * away (with a reason from the tenant's list) or offline; the change is pushed live to the agent and to the tenant's
 * admins, and to nobody else; an agent whose webphone stays disconnected past the grace period becomes offline.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "voxdesk.realtime.presence-grace=1s",
		"voxdesk.realtime.presence-refresh=200ms", "voxdesk.calls.connections-stale-after=3s",
		"voxdesk.calls.connections-reap-interval=300ms" })
class PresenceApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	final List<StompSession> sessions = new CopyOnWriteArrayList<>();

	final List<StompSession> agentSessions = new CopyOnWriteArrayList<>();

	@BeforeEach
	void tenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
		assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"available\"}").status()).isEqualTo(200);
	}

	/**
	 * The agent's sessions close and their grace period runs out here, not in the next test: that test's own choice
	 * of available must not be overtaken by this one's disconnect.
	 */
	@AfterEach
	void disconnect() {
		var agentOnline = agentSessions.stream().anyMatch(StompSession::isConnected);
		sessions.forEach(session -> {
			if (session.isConnected()) {
				session.disconnect();
			}
		});
		if (agentOnline) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> api.get("acme-agent", "/api/me/presence").json().path("state").asString().equals("offline"));
		}
	}

	@Test
	void anAgentGoesAwayWithAReasonAndTheAgentAndTheTenantsAdminsSeeItLive() throws Exception {
		var own = new ConcurrentLinkedQueue<String>();
		var admins = new ConcurrentLinkedQueue<String>();
		var outsider = new CopyOnWriteArrayList<String>();
		connect("acme-agent", new CopyOnWriteArrayList<>()).subscribe("/user/queue/presence", collect(own));
		connect("acme-admin", new CopyOnWriteArrayList<>()).subscribe("/topic/tenants/acme/presence", collect(admins));
		// The attack: another tenant's admin and an agent of the same tenant listen to acme's presence feed.
		var globex = connect("globex-admin", outsider);
		globex.subscribe("/topic/tenants/acme/presence", collect(new ConcurrentLinkedQueue<>()));
		var agentErrors = new CopyOnWriteArrayList<String>();
		var snoop = connect("acme-agent", agentErrors);
		snoop.subscribe("/topic/tenants/acme/presence", collect(new ConcurrentLinkedQueue<>()));
		// Refused: the session is closed, and any message the client saw before the close is the refusal (the ERROR
		// frame may be dropped behind another send, see AsteriskCallApiTests).
		await().until(() -> !globex.isConnected() && !snoop.isConnected());
		await().untilAsserted(() -> {
			assertThat(outsider).isNotEmpty()
				.allMatch(error -> error.contains("may not subscribe") || error.startsWith("closed:"));
			assertThat(agentErrors).isNotEmpty()
				.allMatch(error -> error.contains("may not subscribe") || error.startsWith("closed:"));
		});

		var away = api.put("acme-agent", "/api/me/presence", "{\"state\": \"away\", \"reason\": \"lunch\"}");

		assertThat(away.status()).as(away.body()).isEqualTo(200);
		assertThat(away.json().path("state").asString()).isEqualTo("away");
		assertThat(away.json().path("reason").asString()).isEqualTo("lunch");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(own).anyMatch(frame -> frame.contains("\"state\":\"away\"") && frame.contains("lunch"));
			assertThat(admins).anyMatch(frame -> frame.contains("\"state\":\"away\"") && frame.contains("acme-agent"));
		});
		var everyone = api.get("acme-admin", "/api/presence");
		assertThat(everyone.status()).isEqualTo(200);
		assertThat(everyone.json().valueStream()
			.filter(agent -> agent.path("username").asString().equals("acme-agent"))
			.map(agent -> agent.path("chosen").asString())).containsExactly("away");
		assertThat(api.get("globex-admin", "/api/presence").body()).doesNotContain("acme-agent");
		assertThat(api.get("acme-agent", "/api/presence").status()).isEqualTo(403);
		assertThat(api.get("acme-agent", "/api/me/presence").json().path("state").asString()).isEqualTo("away");
	}

	@Test
	void badChoicesGetAProblemNamingTheFieldAndAdminsKeepTheReasons() {
		var derived = api.put("acme-agent", "/api/me/presence", "{\"state\": \"on-call\"}");
		assertThat(derived.status()).isEqualTo(400);
		assertThat(derived.json().path("errors").get(0).path("field").asString()).isEqualTo("state");
		var unknown = api.put("acme-agent", "/api/me/presence", "{\"state\": \"sleeping\"}");
		assertThat(unknown.json().path("errors").get(0).path("field").asString()).isEqualTo("state");
		var reason = api.put("acme-agent", "/api/me/presence", "{\"state\": \"away\", \"reason\": \"vacation\"}");
		assertThat(reason.status()).isEqualTo(400);
		assertThat(reason.json().path("errors").get(0).path("field").asString()).isEqualTo("reason");
		assertThat(api.get("acme-agent", "/api/me/presence").json().path("state").asString()).isEqualTo("available");

		try {
			assertThat(api.put("acme-agent", "/api/presence/away-reasons", "{\"reasons\": [\"vacation\"]}").status())
				.isEqualTo(403);
			var changed = api.put("acme-admin", "/api/presence/away-reasons",
					"{\"reasons\": [\"lunch\", \"vacation\", \"lunch\"]}");
			assertThat(changed.status()).as(changed.body()).isEqualTo(200);
			assertThat(changed.json().valueStream().map(value -> value.asString())).containsExactly("lunch", "vacation");
			assertThat(api.put("acme-agent", "/api/me/presence", "{\"state\": \"away\", \"reason\": \"vacation\"}")
				.status()).isEqualTo(200);
			assertThat(api.put("acme-admin", "/api/presence/away-reasons", "{\"reasons\": [\"\"]}").status())
				.isEqualTo(400);
			assertThat(api.get("globex-agent", "/api/presence/away-reasons").body()).doesNotContain("vacation");
		}
		finally {
			api.put("acme-admin", "/api/presence/away-reasons",
					"{\"reasons\": [\"lunch\", \"break\", \"training\", \"meeting\"]}");
		}
	}

	/**
	 * Several instances: the agent's webphone reconnected to another instance (which keeps confirming it in the
	 * database) while this one saw it go; the agent stays as they are past the grace period. When that instance stops
	 * confirming (it died), the agent becomes offline.
	 */
	@Test
	void anAgentConnectedToAnotherInstanceStaysAsTheyAreUntilThatInstanceStopsSeeingThem() throws Exception {
		var agent = api.get("acme-agent", "/api/tenants/me").json().path("userId").asString();
		var phone = connect("acme-agent", new CopyOnWriteArrayList<>());
		await().until(phone::isConnected);
		try (var owner = TestDatabase.get().ownerConnection();
				var elsewhere = owner.prepareStatement("insert into agent_connections (tenant_id, user_id, instance_id, "
						+ "seen_at) values ('acme', ?, 'instance-b', now()) on conflict (tenant_id, user_id, instance_id) "
						+ "do update set seen_at = now()")) {
			elsewhere.setString(1, agent);
			elsewhere.executeUpdate();

			phone.disconnect();

			// Well past the 1 s grace and within the 3 s instance-b's confirmation stays fresh.
			await().during(Duration.ofMillis(1800)).atMost(Duration.ofMillis(2500))
				.until(() -> api.get("acme-agent", "/api/me/presence").json().path("state").asString().equals("available"));
			// instance-b stops confirming: once its confirmation is stale, the agent is offline.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				var presence = api.get("acme-agent", "/api/me/presence").json();
				assertThat(presence.path("state").asString()).isEqualTo("offline");
				assertThat(presence.path("reason").asString()).isEqualTo("the webphone lost its connection");
			});
			try (var left = owner.prepareStatement("select count(*) from agent_connections where user_id = ?")) {
				left.setString(1, agent);
				try (var rows = left.executeQuery()) {
					rows.next();
					assertThat(rows.getInt(1)).as("the stale connection was reaped").isZero();
				}
			}
		}
	}

	@Test
	void anAgentWhoseWebphoneStaysDisconnectedPastTheGracePeriodIsOffline() throws Exception {
		var phone = connect("acme-agent", new CopyOnWriteArrayList<>());
		var tab = connect("acme-agent", new CopyOnWriteArrayList<>());

		// One of two tabs closes: the agent is still connected.
		tab.disconnect();
		await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(api.get("acme-agent", "/api/me/presence").json().path("state").asString())
				.isEqualTo("available"));

		phone.disconnect();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			var presence = api.get("acme-agent", "/api/me/presence").json();
			assertThat(presence.path("state").asString()).isEqualTo("offline");
			assertThat(presence.path("reason").asString()).isEqualTo("the webphone lost its connection");
		});
	}

	private StompSession connect(String user, List<String> errors) throws Exception {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new CompositeMessageConverter(List.of(new StringMessageConverter(),
				new JacksonJsonMessageConverter())));
		var headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + KeycloakTestServer.accessToken(user));
		var session = client.connectAsync("ws://127.0.0.1:" + port + "/ws", new WebSocketHttpHeaders(), headers,
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
		sessions.add(session);
		if (user.equals("acme-agent")) {
			agentSessions.add(session);
		}
		return session;
	}

	private static StompFrameHandler collect(ConcurrentLinkedQueue<String> into) {
		return new StompFrameHandler() {

			@Override
			public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
				return JsonNode.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				into.add(String.valueOf(payload));
			}
		};
	}
}

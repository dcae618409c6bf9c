package io.voxdesk.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;

import ch.loway.oss.ari4java.generated.models.ChannelDtmfReceived;
import ch.loway.oss.ari4java.generated.models.Message;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/** The supervised ARI session against the ARI simulator: connect, lose the socket, back off, reconnect. */
class AriSessionTests {

	static final AsteriskSettings FAST = new AsteriskSettings(Duration.ofMillis(100), Duration.ofMillis(400),
			Duration.ofSeconds(2), Duration.ofSeconds(1), 5, 5, 1, null, Duration.ofSeconds(6));

	AriSimulator pbx;

	ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

	AriSession session;

	final AtomicInteger connections = new AtomicInteger();

	final List<String> events = new CopyOnWriteArrayList<>();

	final AriSession.Listener listener = new AriSession.Listener() {

		@Override
		public void onEvent(AriSession session, Message message) {
			events.add(message instanceof ChannelDtmfReceived dtmf ? "dtmf " + dtmf.getDigit() : message.getType());
		}

		@Override
		public void onConnected(AriSession session) {
			connections.incrementAndGet();
		}
	};

	@BeforeEach
	void pbx() {
		pbx = AriSimulator.start(AriSimulatorSettings.defaults());
	}

	@AfterEach
	void stop() {
		if (session != null) {
			session.stop();
		}
		scheduler.shutdownNow();
		pbx.close();
	}

	AriSession connect(String password, String url) {
		session = open(FAST, password, url);
		return session;
	}

	AriSession open(AsteriskSettings settings, String password, String url) {
		var connection = new ProviderConnection(ProviderConnectionId.of(UUID.randomUUID()), TenantId.of("acme"),
				ProviderKind.of("asterisk"), "Test PBX", true,
				Map.of("baseUrl", url, "username", AriSimulatorSettings.defaults().username(), "application", "voxdesk",
						"agentEndpoint", "PJSIP/{extension}", "outboundEndpoint", "PJSIP/{number}@trunk"),
				password);
		var targets = OutboundTargets.allowing(List.of("127.0.0.0/8"));
		var opened = new AriSession(connection, settings, targets, new AriCheck(settings, targets, RestClient.builder()),
				scheduler, listener, Runnable::run);
		opened.start();
		return opened;
	}

	@Test
	void aDroppedSocketIsReconnectedAndReconciledAgain() {
		connect(AriSimulatorSettings.defaults().password(), pbx.baseUrl().toString());
		await().until(() -> connections.get() == 1);
		assertThat(session.state()).isEqualTo(AriSession.State.CONNECTED);

		pbx.refuseWebSockets(true);
		pbx.dropWebSockets();
		await().until(() -> session.state() == AriSession.State.DISCONNECTED);
		assertThat(session.lastProblem()).isNotBlank();
		pbx.refuseWebSockets(false);

		await().atMost(Duration.ofSeconds(10)).until(() -> connections.get() == 2);
		assertThat(session.state()).isEqualTo(AriSession.State.CONNECTED);
	}

	/**
	 * Attack: a tenant points two connections at a host that completes the TCP handshake and then says nothing (a
	 * firewall or a hung Asterisk). Each attempt on it waits its whole timeout. Every session shares one small
	 * scheduler; when attempts waited on it, these two held both of its threads and another tenant's PBX, back after
	 * a blip, stayed disconnected until they timed out.
	 */
	@Test
	void aPbxThatSaysNothingDelaysNoOtherConnectionsReconnection() throws Exception {
		connect(AriSimulatorSettings.defaults().password(), pbx.baseUrl().toString());
		await().until(() -> connections.get() == 1);
		var patient = new AsteriskSettings(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(30),
				Duration.ofSeconds(30), 5, 5, 1, null, Duration.ofSeconds(6));
		try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			var url = "http://127.0.0.1:" + silent.getLocalPort();
			var hung = List.of(open(patient, "whatever", url), open(patient, "whatever", url));
			try {
				pbx.dropWebSockets();
				await().atMost(Duration.ofSeconds(5)).until(() -> connections.get() == 2);
				assertThat(session.state()).isEqualTo(AriSession.State.CONNECTED);
				assertThat(hung).extracting(AriSession::state).containsOnly(AriSession.State.CONNECTING);
			}
			finally {
				hung.forEach(AriSession::stop);
			}
		}
	}

	@Test
	void anUnreachablePbxIsRetriedWithCappedBackoffAndSaysWhy() {
		connect("whatever", "http://127.0.0.1:9");
		await().until(() -> session.state() == AriSession.State.DISCONNECTED);
		assertThat(session.lastProblem()).as("why").isEqualTo("connection refused");
		assertThat(session.backoff(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(session.backoff(3)).isEqualTo(Duration.ofMillis(400));
		assertThat(session.backoff(30)).isEqualTo(Duration.ofMillis(400));
		for (var i = 0; i < 100; i++) {
			assertThat(AriSession.withJitter(Duration.ofMillis(400))).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
		}
	}

	/**
	 * ari4java handed each WebSocket message to the next thread of its event loop group, so a burst of events could
	 * be handled out of order (a call's ChannelDestroyed before the Dial that said BUSY). The PBX sends 300 DTMF
	 * events of one channel back to back; they must be handled in the order sent.
	 */
	@Test
	void eventsOfOneConnectionAreHandledInTheOrderThePbxSentThem() throws Exception {
		connect(AriSimulatorSettings.defaults().password(), pbx.baseUrl().toString());
		await().until(() -> connections.get() == 1);
		pbx.script("1001", CallScript.answerAfter(Duration.ZERO));
		var channel = session.ari().channels().originateWithId("order-1", "PJSIP/1001").setApp("voxdesk").execute().getId();
		await().until(() -> events.contains("StasisStart"));
		events.clear();

		var sent = new java.util.ArrayList<String>();
		for (var i = 0; i < 300; i++) {
			var digit = "0123456789*#".charAt(i % 12);
			pbx.sendDtmf(channel, digit);
			sent.add("dtmf " + digit);
		}

		await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().filter(e -> e.startsWith("dtmf")).count() == 300);
		assertThat(events.stream().filter(e -> e.startsWith("dtmf")).toList()).isEqualTo(sent);
	}

	/**
	 * A PBX that goes away is retried by one attempt at a time (one failure once scheduled two retries, which
	 * became a storm), and no superseded socket stays open: after the PBX is back there is one socket, and none
	 * once the session stops (the connection disabled or deleted).
	 */
	@Test
	void aPbxThatGoesAwayIsRetriedOneAttemptAtATimeAndNoSupersededSocketStaysOpen() {
		connect(AriSimulatorSettings.defaults().password(), pbx.baseUrl().toString());
		await().until(() -> connections.get() == 1);
		assertThat(pbx.openEventSockets()).isEqualTo(1);

		pbx.refuseWebSockets(true);
		pbx.dropWebSockets();
		var before = pbx.eventSocketRequests();
		var refusing = System.nanoTime();
		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.eventSocketRequests() - before >= 8);
		var elapsed = Duration.ofNanos(System.nanoTime() - refusing);
		// One chain of attempts waits at least 50, 100, 200, 200 ms... (half of each capped wait): eight attempts
		// take more than a second. Two chains, or more, would get there in well under that.
		assertThat(elapsed).isGreaterThan(Duration.ofMillis(1000));
		assertThat(pbx.openEventSockets()).isZero();

		pbx.refuseWebSockets(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> connections.get() == 2);
		assertThat(pbx.openEventSockets()).isEqualTo(1);

		session.stop();
		await().atMost(Duration.ofSeconds(5)).until(() -> pbx.openEventSockets() == 0);
	}

	@Test
	void anotherProgramTakingTheApplicationStopsTheSessionInsteadOfFightingForIt() throws Exception {
		connect(AriSimulatorSettings.defaults().password(), pbx.baseUrl().toString());
		await().until(() -> connections.get() == 1);

		var rival = ch.loway.oss.ari4java.ARI.build(pbx.baseUrl().toString(), "voxdesk",
				AriSimulatorSettings.defaults().username(), AriSimulatorSettings.defaults().password(),
				ch.loway.oss.ari4java.AriVersion.ARI_10_0_0);
		try {
			rival.eventsCallback(new ch.loway.oss.ari4java.tools.AriCallback<>() {

				@Override
				public void onSuccess(Message message) {
				}

				@Override
				public void onFailure(ch.loway.oss.ari4java.tools.RestException ex) {
				}
			});
			await().until(() -> session.state() == AriSession.State.REPLACED);
			assertThat(session.lastProblem()).contains("took over its events");
		}
		finally {
			rival.cleanup();
		}
	}
}

package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;
import ch.loway.oss.ari4java.generated.models.Bridge;
import ch.loway.oss.ari4java.generated.models.Channel;
import ch.loway.oss.ari4java.generated.models.ChannelDestroyed;
import ch.loway.oss.ari4java.generated.models.ChannelEnteredBridge;
import ch.loway.oss.ari4java.generated.models.ChannelLeftBridge;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.generated.models.StasisStart;
import ch.loway.oss.ari4java.tools.AriCallback;
import ch.loway.oss.ari4java.tools.RestException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product's connector talks to Asterisk through ari4java 0.18.0; these tests drive the simulator with it, so
 * ari4java's URLs, its event WebSocket and its parsing of event payloads and timestamps are proven to work.
 */
class Ari4javaCompatibilityTests {

	static final String APP = "voxdesk";

	AriSimulator simulator;

	ARI ari;

	final List<Message> messages = new CopyOnWriteArrayList<>();

	final List<RestException> failures = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() {
		simulator = AriSimulator.start(AriSimulatorSettings.defaults().withTimeScale(0.1));
	}

	@AfterEach
	void stop() {
		if (ari != null) {
			ari.cleanup();
		}
		simulator.close();
	}

	@Test
	void originatesBridgesAndHangsUpThroughAri4java() throws Exception {
		// ARI_10_0_0 matches "apiVersion": "10.0.0" of Asterisk 22's resources.json.
		ari = ARI.build(simulator.baseUrl().toString(), APP, "voxdesk", "voxdesk-dev", AriVersion.ARI_10_0_0);
		connectEvents();

		Channel customer = ari.channels()
			.originate("PJSIP/5548999990000@trunk")
			.setApp(APP)
			.setAppArgs("outbound,call-1")
			.setCallerId("\"Voxdesk\" <1000>")
			.setTimeout(30)
			.addVariables("VOXDESK_CALL_ID", "call-1")
			.execute();
		Channel agent = ari.channels().originate("PJSIP/1001").setApp(APP).execute();

		assertThat(customer.getState()).isEqualTo("Down");
		assertThat(customer.getName()).startsWith("PJSIP/trunk-");
		StasisStart started = awaitMessage(StasisStart.class,
				event -> event.getChannel().getId().equals(customer.getId()));
		assertThat(started.getArgs()).containsExactly("outbound", "call-1");
		assertThat(started.getChannel().getState()).isEqualTo("Up");
		assertThat(started.getChannel().getCaller().getNumber()).isEqualTo("1000");
		assertThat(started.getTimestamp().toInstant()).isBetween(Instant.now().minusSeconds(60), Instant.now());
		assertThat(started.getChannel().getCreationtime().toInstant()).isBefore(Instant.now().plusSeconds(1));
		assertThat(ari.channels().getChannelVar(customer.getId(), "VOXDESK_CALL_ID").execute().getValue())
			.isEqualTo("call-1");
		awaitMessage(StasisStart.class, event -> event.getChannel().getId().equals(agent.getId()));

		Bridge bridge = ari.bridges().create().setType("mixing").setName("call-1").execute();
		ari.bridges().addChannel(bridge.getId(), customer.getId() + "," + agent.getId()).execute();

		awaitMessage(ChannelEnteredBridge.class, event -> event.getChannel().getId().equals(agent.getId()));
		assertThat(ari.bridges().get(bridge.getId()).execute().getChannels()).containsExactly(customer.getId(),
				agent.getId());

		ari.channels().hangup(agent.getId()).execute();
		ChannelDestroyed agentGone = awaitMessage(ChannelDestroyed.class,
				event -> event.getChannel().getId().equals(agent.getId()));
		simulator.hangUpFromFarEnd(customer.getId(), 17);
		ChannelDestroyed customerGone = awaitMessage(ChannelDestroyed.class,
				event -> event.getChannel().getId().equals(customer.getId()));
		ari.bridges().destroy(bridge.getId()).execute();

		assertThat(agentGone.getCause()).isEqualTo(16);
		assertThat(agentGone.getCause_txt()).isEqualTo("Normal Clearing");
		assertThat(customerGone.getCause()).isEqualTo(17);
		assertThat(customerGone.getCause_txt()).isEqualTo("User busy");
		assertThat(messages).filteredOn(ChannelLeftBridge.class::isInstance).hasSize(2);
		assertThat(simulator.dialled()).containsExactly("PJSIP/5548999990000@trunk", "PJSIP/1001");
		assertThat(failures).isEmpty();
	}

	@Test
	void detectsTheAriVersionFromTheApiDocs() throws Exception {
		ari = ARI.build(simulator.baseUrl().toString(), APP, "voxdesk", "voxdesk-dev", AriVersion.IM_FEELING_LUCKY);

		assertThat(ari.getVersion()).isEqualTo(AriVersion.ARI_10_0_0);
		assertThat(ari.asterisk().getInfo().execute().getSystem().getVersion()).isEqualTo("22.10.1");
	}

	@Test
	void reportsRefusedOriginatesAsRestExceptions() throws Exception {
		ari = ARI.build(simulator.baseUrl().toString(), APP, "voxdesk", "voxdesk-dev", AriVersion.ARI_10_0_0);
		simulator.script("1002", CallScript.unavailable());

		RestException refused = null;
		try {
			ari.channels().originate("PJSIP/1002").setApp(APP).execute();
		}
		catch (RestException ex) {
			refused = ex;
		}

		assertThat(refused).isNotNull();
		assertThat(refused.getCode()).isEqualTo(500);
		assertThat(refused.getResponse()).isEqualTo("{\"error\":\"Allocation failed\"}");
	}

	private void connectEvents() throws Exception {
		ari.eventsCallback(new AriCallback<>() {
			@Override
			public void onSuccess(Message message) {
				messages.add(message);
			}

			@Override
			public void onFailure(RestException ex) {
				failures.add(ex);
			}
		});
		// Originating before the socket is registered would put the call into an app nobody listens to.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Http.ari(simulator, "GET", "/applications/" + APP).status() == 200);
	}

	private <T extends Message> T awaitMessage(Class<T> type, Predicate<T> matching) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> messages.stream().filter(type::isInstance).map(type::cast).filter(matching).findFirst(),
					Optional::isPresent)
			.orElseThrow();
	}
}

package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Phone endpoints' states, from Asterisk's ARI documentation ({@code endpoints.json}, {@code EndpointStateChange} in
 * {@code events.json}) and {@code res/ari/resource_endpoints.c}, not from a recording (the recording Asterisk had no
 * chan_pjsip): listed by {@code GET /endpoints}, followed with {@code endpoint:<tech>} subscriptions, and an offline
 * endpoint cannot be dialled.
 */
class EndpointStateTests {

	static final String APP = "voxdesk";

	AriSimulator simulator;

	EventSocket events;

	@BeforeEach
	void start() {
		simulator = AriSimulator.start(AriSimulatorSettings.defaults().withTimeScale(0.1));
		events = EventSocket.open(simulator, APP, false);
	}

	@AfterEach
	void stop() {
		events.close();
		simulator.close();
	}

	@Test
	void aSubscribedApplicationHearsAPhoneRegisterAndGoAwayAndTheListsSayTheSame() {
		assertThat(Http.ari(simulator, "GET", "/endpoints").json().size()).isZero();
		assertThat(Http.ari(simulator, "POST", "/applications/" + APP + "/subscription?eventSource=endpoint:PJSIP")
			.status()).isEqualTo(200);

		assertThat(admin("/_sim/endpoints/PJSIP/1001?state=online").status()).isEqualTo(204);

		JsonNode change = events.awaitEvent(event -> "EndpointStateChange".equals(event.get("type").asString()));
		assertThat(change.get("endpoint").get("technology").asString()).isEqualTo("PJSIP");
		assertThat(change.get("endpoint").get("resource").asString()).isEqualTo("1001");
		assertThat(change.get("endpoint").get("state").asString()).isEqualTo("online");
		assertThat(change.get("endpoint").get("channel_ids").isArray()).isTrue();
		assertThat(change.get("application").asString()).isEqualTo(APP);
		assertThat(Http.ari(simulator, "GET", "/endpoints/PJSIP").json().get(0).get("state").asString())
			.isEqualTo("online");
		assertThat(Http.ari(simulator, "GET", "/endpoints/PJSIP/1001").json().get("resource").asString())
			.isEqualTo("1001");

		admin("/_sim/endpoints/PJSIP/1001?state=offline");
		events.awaitEvent(event -> "EndpointStateChange".equals(event.get("type").asString())
				&& "offline".equals(event.get("endpoint").get("state").asString()));
		// Dialling a phone that is not registered: chan_pjsip refuses the channel.
		Http.Result refused = Http.ari(simulator, "POST", "/channels?endpoint=PJSIP/1001&app=" + APP);
		assertThat(refused.status()).isEqualTo(500);
		assertThat(refused.text()).isEqualTo("{\"error\":\"Allocation failed\"}");
	}

	@Test
	void unknownTechnologiesAndEndpointsAre404sAndUnsubscribedApplicationsHearNothing() {
		admin("/_sim/endpoints/PJSIP/1002?state=online");

		Http.Result tech = Http.ari(simulator, "GET", "/endpoints/XMPP");
		assertThat(tech.status()).isEqualTo(404);
		assertThat(tech.json().get("message").asString()).isEqualTo("No Endpoints found - invalid tech XMPP");
		Http.Result resource = Http.ari(simulator, "GET", "/endpoints/PJSIP/9999");
		assertThat(resource.status()).isEqualTo(404);
		assertThat(resource.json().get("message").asString()).isEqualTo("Endpoint not found");
		assertThat(admin("/_sim/endpoints/PJSIP/1002?state=asleep").status()).isEqualTo(400);
		assertThat(events.types()).doesNotContain("EndpointStateChange");
	}

	private Http.Result admin(String path) {
		return Http.send("PUT", URI.create("http://127.0.0.1:" + simulator.port() + path), Map.of(), null);
	}
}

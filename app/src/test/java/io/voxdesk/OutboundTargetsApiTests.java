package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The attack: a tenant admin points a provider connection at the networks around Voxdesk (its loopback, the LAN, the
 * cloud metadata service) to make it call them and read back how they answer. As in production, no internal network
 * is allowed here (the other tests allow loopback, where their PBX simulator and stubs listen).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "voxdesk.calls.outbound.allowed-networks=203.0.113.0/24")
class OutboundTargetsApiTests {

	@LocalServerPort
	int port;

	VoxdeskApi api;

	@BeforeEach
	void globexWithoutConnections() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("globex");
		for (var existing : api.get("globex-admin", "/api/provider-connections").json()) {
			api.delete("globex-admin", "/api/provider-connections/" + existing.path("id").asString());
		}
	}

	@Test
	void aConnectionToAnInternalAddressIsRefusedBeforeAnythingIsCalled() {
		for (var target : List.of("http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data/",
				"http://10.1.2.3:8088/", "http://localhost:8080/")) {
			var asterisk = api.post("globex-admin", "/api/provider-connections", """
					{"kind": "asterisk", "name": "Probe", "enabled": false, "secret": "x",
					 "settings": {"baseUrl": "%s", "username": "u", "application": "voxdesk",
					              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk"}}"""
				.formatted(target));
			var api4com = api.post("globex-admin", "/api/provider-connections", """
					{"kind": "api4com", "name": "Probe", "enabled": false, "secret": "x", "settings": {"baseUrl": "%s"}}"""
				.formatted(target));

			for (var refused : List.of(asterisk, api4com)) {
				assertThat(refused.status()).as(target + " " + refused.body()).isEqualTo(400);
				assertThat(refused.isProblem()).isTrue();
				assertThat(refused.json().path("errors").get(0).path("field").asString()).isEqualTo("settings.baseUrl");
				assertThat(refused.detail()).contains("Voxdesk will not send requests there");
			}
		}
		assertThat(api.get("globex-admin", "/api/provider-connections").json()).isEmpty();
	}
}

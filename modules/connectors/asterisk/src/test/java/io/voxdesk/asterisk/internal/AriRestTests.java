package io.voxdesk.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;
import ch.loway.oss.ari4java.tools.RestException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ari4java over {@link AriRest}: under concurrency every request reads its own answer (ari4java's own transport was
 * seen answering an originate with another request's playback), a refusal keeps its HTTP status, and an answer that
 * never comes has no status, as ari4java reports it, and is never taken for an accepted request.
 */
class AriRestTests {

	AriSimulator pbx;

	@BeforeEach
	void pbx() {
		pbx = AriSimulator.start(AriSimulatorSettings.defaults());
	}

	@AfterEach
	void stop() {
		pbx.close();
	}

	static ProviderConnection connection(String url) {
		return new ProviderConnection(ProviderConnectionId.of(UUID.randomUUID()), TenantId.of("acme"),
				ProviderKind.of("asterisk"), "Test PBX", true,
				Map.of("baseUrl", url, "username", AriSimulatorSettings.defaults().username(), "application", "voxdesk"),
				AriSimulatorSettings.defaults().password());
	}

	static ARI ari(AriRest rest) {
		var ari = new ARI();
		ari.setAppName("voxdesk");
		ari.setHttpClient(rest);
		ari.setWsClient(rest);
		ari.setVersion(AriVersion.ARI_10_0_0);
		return ari;
	}

	@Test
	void everyConcurrentRequestReadsItsOwnAnswer() throws Exception {
		var rest = new AriRest(connection(pbx.baseUrl().toString()), Duration.ofSeconds(2), Duration.ofSeconds(30));
		var ari = ari(rest);
		var ids = new ArrayList<String>();
		for (int i = 0; i < 40; i++) {
			var id = "rest-" + i + "-" + UUID.randomUUID();
			ari.bridges().createWithId(id).setType("mixing").execute();
			ids.add(id);
		}
		var pool = Executors.newFixedThreadPool(24);
		try {
			var answers = new ArrayList<Future<String>>();
			var asked = new ArrayList<String>();
			for (int round = 0; round < 25; round++) {
				for (var id : ids) {
					asked.add(id);
					answers.add(pool.submit((Callable<String>) () -> ari.bridges().get(id).execute().getId()));
					// Requests of other kinds in between, whose answers would not even parse as a bridge.
					answers.add(pool.submit((Callable<String>) () -> ari.asterisk().getInfo().execute().getSystem() == null
							? "info" : "info"));
					asked.add("info");
				}
			}
			for (int i = 0; i < answers.size(); i++) {
				assertThat(answers.get(i).get()).as("answer %d", i).isEqualTo(asked.get(i));
			}
		}
		finally {
			pool.shutdownNow();
			rest.destroy();
		}
	}

	@Test
	void aRefusalKeepsItsStatusAndALostAnswerIsNoRefusal() throws Exception {
		var rest = new AriRest(connection(pbx.baseUrl().toString()), Duration.ofSeconds(2), Duration.ofSeconds(30));
		var ari = ari(rest);
		assertThatThrownBy(() -> ari.channels().get("no-such-channel").execute()).isInstanceOfSatisfying(
				RestException.class, refused -> assertThat(refused.getCode()).isEqualTo(404));
		rest.destroy();

		// A PBX that accepts the connection and never answers.
		try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			var mute = new AriRest(connection("http://127.0.0.1:" + silent.getLocalPort()), Duration.ofSeconds(2),
					Duration.ofMillis(500));
			// As ari4java reports it: no status, and a cause that does not read as a body that failed to parse (which
			// the call flow takes for an accepted request).
			assertThatThrownBy(() -> ari(mute).channels().get("any").execute()).isInstanceOfSatisfying(
					RestException.class, lost -> {
						assertThat(lost.getCode()).isZero();
						assertThat(lost.getCause()).isInstanceOf(UncheckedIOException.class);
					});
			assertThatThrownBy(() -> AriCallFlow.accepted(CallId.random(),
					() -> ari(mute).channels().originateWithId("vx-lost", "PJSIP/1001").execute()))
				.isInstanceOf(RestException.class);
			mute.destroy();
		}
	}
}

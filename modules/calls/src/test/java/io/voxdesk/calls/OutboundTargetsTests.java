package io.voxdesk.calls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A tenant admin types the URL a connection calls: the attack is to make Voxdesk call the networks around it (its
 * own loopback, the office LAN, the cloud's metadata service) and read back how they answer.
 */
class OutboundTargetsTests {

	final OutboundTargets production = OutboundTargets.allowing(List.of());

	@Test
	void internalAddressesAreRefusedWhateverTheyAreCalled() {
		for (var url : List.of("http://127.0.0.1:8088", "http://localhost:5432", "http://[::1]:8088/",
				"http://10.0.0.5:8088", "http://172.16.3.4", "http://192.168.1.10:8088", "http://169.254.169.254/latest",
				"http://0.0.0.0:8080", "http://100.64.1.1", "http://[fd00::1]:8088", "http://[fe80::1]/",
				"http://2130706433/")) {
			assertThatThrownBy(() -> production.check(url)).as(url)
				.isInstanceOf(ProviderException.class)
				.hasMessageContaining("voxdesk.calls.outbound.allowed-networks");
		}
	}

	@Test
	void onlyWebUrlsWithAHostThatResolvesAreCalled() {
		for (var url : List.of("file:///etc/passwd", "gopher://8.8.8.8/", "http:///nohost", "not a url",
				"http://0x7f000001/")) {
			assertThatThrownBy(() -> production.check(url)).as(url).isInstanceOf(ProviderException.class);
		}
	}

	@Test
	void publicAddressesAndAllowedNetworksAreCalled() {
		assertThatCode(() -> production.check("https://8.8.8.8:8089/ari")).doesNotThrowAnyException();
		var office = OutboundTargets.allowing(List.of("192.168.1.0/24", "127.0.0.1/32"));
		assertThatCode(() -> office.check("http://192.168.1.10:8088")).doesNotThrowAnyException();
		assertThatCode(() -> office.check("http://127.0.0.1:8088")).doesNotThrowAnyException();
		assertThatThrownBy(() -> office.check("http://192.168.2.10:8088")).isInstanceOf(ProviderException.class);
		assertThatThrownBy(() -> office.check("http://127.0.0.2:8088")).isInstanceOf(ProviderException.class);
	}

	@Test
	void aNetworkThatIsNotCidrIsAConfigurationError() {
		assertThatThrownBy(() -> OutboundTargets.allowing(List.of("10.0.0.0/40")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("CIDR");
	}
}

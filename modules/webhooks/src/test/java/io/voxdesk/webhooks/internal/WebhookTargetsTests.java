package io.voxdesk.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.voxdesk.webhooks.WebhooksSettings;

import org.junit.jupiter.api.Test;

/**
 * Server-side request forgery through a webhook URL: the targets an attacker would aim Voxdesk at (its own loopback,
 * the cloud's metadata service, the private network) are refused, in production mode plain http too.
 */
class WebhookTargetsTests {

	static WebhookTargets targets(boolean loopbackAllowed) {
		return new WebhookTargets(new WebhooksSettings(List.of(Duration.ofSeconds(5)), Duration.ofSeconds(5),
				Duration.ofSeconds(10), Duration.ofHours(24), loopbackAllowed, 4, Duration.ofMillis(500),
				Duration.ofDays(30), URI.create("http://localhost:8080"), Duration.ofHours(1)));
	}

	@Test
	void inProductionLoopbackPrivateLinkLocalAndPlainHttpAreRefused() {
		var production = targets(false);
		for (var url : List.of("https://127.0.0.1/hook", "https://localhost:8080/actuator", "https://[::1]/hook",
				"https://169.254.169.254/latest/meta-data/", "https://10.0.0.7/hook", "https://192.168.1.10/hook",
				"https://172.16.5.4/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook", "https://[fd00::1]/hook",
				"https://[::ffff:127.0.0.1]/hook")) {
			assertThatThrownBy(() -> production.check(url)).as(url)
				.isInstanceOf(WebhookTargets.RefusedTarget.class)
				.hasMessageContaining("a private, loopback or link-local address");
		}
		assertThatThrownBy(() -> production.check("http://127.0.0.1:9000/hook"))
			.isInstanceOf(WebhookTargets.RefusedTarget.class);
		assertThatThrownBy(() -> production.check("ftp://files.example/hook")).hasMessageContaining("https://");
		assertThatThrownBy(() -> production.check("https://user:pass@8.8.8.8/hook")).hasMessageContaining("user name");
	}

	@Test
	void aPublicAddressOverHttpsIsAccepted() {
		assertThat(targets(false).check("https://8.8.8.8/hooks/voxdesk").getHost()).isEqualTo("8.8.8.8");
		assertThatThrownBy(() -> targets(false).check("http://8.8.8.8/hooks/voxdesk")).hasMessageContaining("https://");
	}

	@Test
	void inDevelopmentPlainHttpReachesLoopbackOnlyAndThePrivateNetworkStaysClosed() {
		var development = targets(true);
		assertThat(development.check("http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
		assertThatThrownBy(() -> development.check("http://10.0.0.7/hook")).hasMessageContaining("private");
		assertThatThrownBy(() -> development.check("https://169.254.169.254/")).hasMessageContaining("link-local");
	}

	@Test
	void ipv6AnswersThatLeadBackToPrivateOrMetadataAddressesAreRefused() throws Exception {
		// What a hostile DNS server can answer in an AAAA record: the JDK makes each an Inet6Address.
		for (var hex : List.of("00000000000000000000ffffa9fea9fe", // ::ffff:169.254.169.254, IPv4-mapped
				"00000000000000000000ffff0a000001", // ::ffff:10.0.0.1
				"0000000000000000000000007f000001", // ::127.0.0.1, IPv4-compatible
				"0064ff9b0000000000000000a9fea9fe", // 64:ff9b::169.254.169.254, NAT64
				"2002a9fea9fe00000000000000000001", // 6to4 of 169.254.169.254
				"20010000000000000000000000000001", // Teredo
				"fd000000000000000000000000000001", // unique local
				"fe800000000000000000000000000001")) { // link-local
			var bytes = java.util.HexFormat.of().parseHex(hex);
			assertThat(WebhookTargets.isPublic(java.net.Inet6Address.getByAddress(null, bytes, -1))).as(hex).isFalse();
		}
		var google = java.util.HexFormat.of().parseHex("20014860486000000000000000008888");
		assertThat(WebhookTargets.isPublic(java.net.Inet6Address.getByAddress(null, google, -1))).isTrue();
		var sixToFourPublic = java.util.HexFormat.of().parseHex("20020808080800000000000000000001");
		assertThat(WebhookTargets.isPublic(java.net.Inet6Address.getByAddress(null, sixToFourPublic, -1))).isTrue();
	}

	@Test
	void aNameThatDoesNotResolveIsToldApartFromARefusal() {
		assertThatThrownBy(() -> targets(false).check("https://no-such-host.invalid/hook"))
			.isInstanceOf(WebhookTargets.UnresolvedTarget.class)
			.hasMessage("The host no-such-host.invalid could not be resolved.");
	}
}

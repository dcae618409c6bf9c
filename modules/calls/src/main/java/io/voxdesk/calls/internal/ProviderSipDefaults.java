package io.voxdesk.calls.internal;

import java.net.URI;
import java.util.Optional;

import io.voxdesk.calls.ProviderKind;
import io.voxdesk.extensions.SipDefaults;
import io.voxdesk.extensions.SipServer;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Suggests the SIP server of the tenant's enabled provider connection to the extensions module, from its settings
 * alone (the secret is not decrypted for this).
 * <p>
 * Asterisk: the host of the ARI base URL, with the PJSIP WebSocket transport's usual {@code wss://host:8089/ws}.
 * API4COM: phones register at {@code wss://<account domain>:6443} with the account domain as realm. The API4COM
 * connector learns that domain only while testing the connection and keeps it nowhere, so it comes from the
 * connection's optional {@code domain} setting; without it there is no suggestion rather than a guess.
 */
@Component
class ProviderSipDefaults implements SipDefaults {

	private final ProviderConnections connections;

	ProviderSipDefaults(ProviderConnections connections) {
		this.connections = connections;
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<SipServer> defaultsForCurrentTenant() {
		return connections.findEnabled().flatMap(connection -> switch (connection.kind()) {
			case ASTERISK -> host(connection.settings().get("baseUrl"))
				.map(host -> new SipServer(host, "wss://" + host + ":8089/ws", ProviderKind.ASTERISK.code()));
			case API4COM -> Optional.ofNullable(connection.settings().get("domain"))
				.map(String::strip)
				.filter(domain -> !domain.isEmpty())
				.map(domain -> new SipServer(domain, "wss://" + domain + ":6443", ProviderKind.API4COM.code()));
		});
	}

	private static Optional<String> host(@Nullable String url) {
		if (url == null) {
			return Optional.empty();
		}
		try {
			return Optional.ofNullable(URI.create(url.strip()).getHost());
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}
}

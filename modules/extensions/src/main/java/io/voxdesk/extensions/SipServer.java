package io.voxdesk.extensions;

import java.util.Objects;

/**
 * Where a tenant's SIP phones register, as the tenant's telephony provider suggests it.
 *
 * @param domain the SIP domain (and realm), such as {@code acme.api4com.com}.
 * @param websocketUrl the SIP-over-WebSocket server, {@code ws://} or {@code wss://}.
 * @param source which provider suggested it, such as {@code asterisk} or {@code api4com}.
 */
public record SipServer(String domain, String websocketUrl, String source) {

	public SipServer {
		Objects.requireNonNull(domain);
		Objects.requireNonNull(websocketUrl);
		Objects.requireNonNull(source);
	}
}

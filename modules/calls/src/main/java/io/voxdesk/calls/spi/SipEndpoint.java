package io.voxdesk.calls.spi;

/**
 * Where agents' webphones register with a provider, as a connector derives it from a connection's settings.
 *
 * @param domain the SIP domain (and realm) of the agents' extensions, e.g. {@code pbx.example.com}.
 * @param webSocketUrl the SIP-over-WebSocket address, e.g. {@code wss://pbx.example.com:8089/ws}.
 */
public record SipEndpoint(String domain, String webSocketUrl) {
}

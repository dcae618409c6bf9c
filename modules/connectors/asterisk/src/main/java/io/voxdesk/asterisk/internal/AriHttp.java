package io.voxdesk.asterisk.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.voxdesk.calls.spi.ProviderConnection;

/** Plain HTTP requests to a connection's ARI, for what does not go through ari4java. */
final class AriHttp {

	private AriHttp() {
	}

	/**
	 * A request to {@code path} under the connection's ARI ({@code /asterisk/info} is
	 * {@code <baseUrl>/ari/asterisk/info}), with its credentials.
	 *
	 * @throws IllegalArgumentException if the base URL does not make a valid URI.
	 */
	static HttpRequest.Builder request(ProviderConnection connection, String path) {
		var url = connection.setting("baseUrl").replaceAll("/+$", "") + "/ari" + path;
		return HttpRequest.newBuilder(URI.create(url)).header("Authorization", basic(connection));
	}

	/** The connection's credentials as an {@code Authorization} header value (never in a URL, where logs keep it). */
	static String basic(ProviderConnection connection) {
		var auth = connection.setting("username") + ":" + connection.secret();
		return "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
	}
}

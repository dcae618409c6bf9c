package io.voxdesk.asterisk.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.voxdesk.calls.spi.ProviderConnection;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** Plain HTTP requests to a connection's ARI, for what does not go through ari4java. */
final class AriHttp {

	private AriHttp() {
	}

	/**
	 * The address of {@code path} under the connection's ARI ({@code /asterisk/info} is
	 * {@code <baseUrl>/ari/asterisk/info}).
	 *
	 * @throws IllegalArgumentException if the base URL does not make a valid URI.
	 */
	static URI uri(ProviderConnection connection, String path) {
		return URI.create(connection.setting("baseUrl").replaceAll("/+$", "") + "/ari" + path);
	}

	/**
	 * A client for plain ARI requests built from the application's builder (so its requests are observed), answering
	 * within {@code timeout}, connecting within {@code connectTimeout}.
	 */
	static RestClient client(RestClient.Builder builder, Duration connectTimeout, Duration timeout) {
		var factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(connectTimeout).build());
		factory.setReadTimeout(timeout);
		return builder.clone().requestFactory(factory).build();
	}

	/** The connection's credentials as an {@code Authorization} header value (never in a URL, where logs keep it). */
	static String basic(ProviderConnection connection) {
		var auth = connection.setting("username") + ":" + connection.secret();
		return "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
	}
}

package io.voxdesk.api4com.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.spi.ProviderConnection;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;

/**
 * Sends requests to a connection's API4COM. The token goes in {@code Authorization} raw: API4COM runs LoopBack 3,
 * which reads {@code Bearer x} as base64 and so rejects a correct token sent the usual way.
 */
@Component
class Api4comHttp implements AutoCloseable {

	static final String DEFAULT_BASE_URL = "https://api.api4com.com/api/v1";

	private final HttpClient client;

	private final OutboundTargets targets;

	Api4comHttp(Api4comSettings settings, OutboundTargets targets) {
		this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
		this.targets = targets;
	}

	/** The connection's API base URL without a trailing slash. */
	static String baseUrl(ProviderConnection connection) {
		var base = connection.settings().get("baseUrl");
		return (base == null || base.isBlank() ? DEFAULT_BASE_URL : base.strip()).replaceAll("/+$", "");
	}

	static String query(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Sends a request and waits for the answer.
	 *
	 * @throws Unreachable when API4COM did not answer: refused, timed out, or the base URL is unusable.
	 */
	Reply send(ProviderConnection connection, String method, String path, @Nullable JsonNode body, Duration timeout) {
		try {
			return sendAsync(connection, method, path, body, timeout).join();
		}
		catch (CompletionException ex) {
			throw ex.getCause() instanceof Unreachable unreachable ? unreachable : new Unreachable(describe(ex.getCause()));
		}
	}

	/** Sends a request; the future fails with {@link Unreachable} when API4COM does not answer. */
	CompletableFuture<Reply> sendAsync(ProviderConnection connection, String method, String path,
			@Nullable JsonNode body, Duration timeout) {
		try {
			targets.check(baseUrl(connection));
		}
		catch (ProviderException ex) {
			return CompletableFuture.failedFuture(new Unreachable(ex.getMessage()));
		}
		HttpRequest.Builder builder;
		try {
			builder = HttpRequest.newBuilder(URI.create(baseUrl(connection) + path));
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(new Unreachable("the base URL is not valid"));
		}
		HttpRequest request;
		try {
			request = builder.timeout(timeout)
				.header("Authorization", connection.secret())
				.header("Accept", "application/json")
				.header("Content-Type", "application/json")
				.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofString(Json.write(body)))
				.build();
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(new Unreachable("the token has characters an HTTP header cannot carry"));
		}
		return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.handle((response, failure) -> {
				if (failure != null) {
					var cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
							: failure;
					throw new Unreachable(cause instanceof HttpTimeoutException
							&& !(cause instanceof HttpConnectTimeoutException) ? "no answer within " + seconds(timeout)
									: describe(cause));
				}
				return new Reply(response.statusCode(), response.body() == null ? "" : response.body(),
						response.headers());
			});
	}

	private static String describe(@Nullable Throwable failure) {
		if (failure instanceof HttpConnectTimeoutException) {
			return "no connection within the connect timeout";
		}
		if (failure instanceof ConnectException) {
			return "connection refused";
		}
		if (failure instanceof javax.net.ssl.SSLException) {
			return "the TLS handshake failed";
		}
		if (failure instanceof IOException) {
			return "unreachable";
		}
		return failure == null ? "unknown failure" : failure.getClass().getSimpleName();
	}

	/** The text with the connection's token masked, for anything that may reach a log, a user or an event. */
	static String hide(String text, ProviderConnection connection) {
		var secret = connection.secret();
		return secret == null || secret.length() < 4 ? text : text.replace(secret, "***");
	}

	static String seconds(Duration duration) {
		return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
	}

	@Override
	public void close() {
		client.close();
	}

	/** API4COM's answer. */
	record Reply(int status, String body, HttpHeaders headers) {

		boolean ok() {
			return status / 100 == 2;
		}

		boolean tokenRejected() {
			return status == 401 || status == 403;
		}

		JsonNode json() {
			return Json.parse(body);
		}

		/**
		 * API4COM's own words: LoopBack's {@code {"error":{"message"}}}, a plain {@code {"message"}}, or
		 * {@code {"error": "..."}}; else the status.
		 */
		String message() {
			var json = json();
			var message = Json.text(json.path("error"), "message");
			if (message.isEmpty()) {
				message = Json.text(json, "message");
			}
			if (message.isEmpty()) {
				message = Json.text(json, "error");
			}
			if (message.isEmpty()) {
				return "HTTP " + status;
			}
			return (message.length() > 200 ? message.substring(0, 200) + "…" : message) + " (HTTP " + status + ")";
		}

		boolean says(String words) {
			return message().toLowerCase(Locale.ROOT).contains(words);
		}
	}

	/** API4COM did not answer; the message says why in plain words. */
	static final class Unreachable extends RuntimeException {

		Unreachable(String message) {
			super(message, null, false, false);
		}
	}
}

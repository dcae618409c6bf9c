package io.voxdesk.api4com.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.spi.ProviderConnection;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;

/**
 * Sends requests to a connection's API4COM through Spring's {@link RestClient}, built from the application's
 * builder so that every request is observed ({@code http.client.requests}, by method, status and host; the URI is
 * never a tag, so no path or id reaches the metrics). The token goes in {@code Authorization} raw: API4COM runs
 * LoopBack 3, which reads {@code Bearer x} as base64 and so rejects a correct token sent the usual way.
 */
@Component
class Api4comHttp implements AutoCloseable {

	static final String DEFAULT_BASE_URL = "https://api.api4com.com/api/v1";

	private final HttpClient client;

	private final RestClient.Builder builder;

	/** One client per answer timeout (the JDK request factory's read timeout is per factory). */
	private final Map<Duration, RestClient> clients = new ConcurrentHashMap<>();

	/** Where requests that are waited for asynchronously (the dialer's) wait: virtual threads, closed with this. */
	private final ExecutorService waiting = Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("api4com-http-", 0).factory());

	private final OutboundTargets targets;

	Api4comHttp(Api4comSettings settings, OutboundTargets targets, RestClient.Builder builder) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.builder = builder;
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
			targets.check(baseUrl(connection));
		}
		catch (ProviderException ex) {
			throw new Unreachable(ex.getMessage());
		}
		URI uri;
		try {
			uri = URI.create(baseUrl(connection) + path);
		}
		catch (IllegalArgumentException ex) {
			throw new Unreachable("the base URL is not valid");
		}
		var request = client(timeout).method(HttpMethod.valueOf(method))
			.uri(uri)
			.header(HttpHeaders.AUTHORIZATION, connection.secret())
			.accept(MediaType.APPLICATION_JSON);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(Json.write(body));
		}
		try {
			return request.exchange((sent, response) -> new Reply(response.getStatusCode().value(),
					new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8), response.getHeaders()));
		}
		catch (IllegalArgumentException ex) {
			throw new Unreachable("the token has characters an HTTP header cannot carry");
		}
		catch (RuntimeException ex) {
			throw new Unreachable(describe(ex, timeout));
		}
	}

	/** Sends a request without waiting; the future fails with {@link Unreachable} when API4COM does not answer. */
	CompletableFuture<Reply> sendAsync(ProviderConnection connection, String method, String path,
			@Nullable JsonNode body, Duration timeout) {
		return CompletableFuture.supplyAsync(() -> send(connection, method, path, body, timeout), waiting);
	}

	private RestClient client(Duration timeout) {
		return clients.computeIfAbsent(timeout, answerWithin -> {
			var factory = new JdkClientHttpRequestFactory(client);
			factory.setReadTimeout(answerWithin);
			return builder.clone().requestFactory(factory).build();
		});
	}

	/** Why a request got no answer, from the cause the client wraps (never its message, which names the URL). */
	private static String describe(Throwable failure, Duration timeout) {
		for (var cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpConnectTimeoutException) {
				return "no connection within the connect timeout";
			}
			if (cause instanceof HttpTimeoutException) {
				return "no answer within " + seconds(timeout);
			}
			if (cause instanceof ConnectException || cause instanceof javax.net.ssl.SSLException) {
				return describe(cause);
			}
		}
		return describe(failure.getCause() == null ? failure : failure.getCause());
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
		waiting.shutdownNow();
		client.close();
	}

	/** API4COM's answer. */
	record Reply(int status, String body, HttpHeaders headers) {

		Reply {
			headers = HttpHeaders.readOnlyHttpHeaders(headers);
		}

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

package io.voxdesk.asterisk.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.voxdesk.calls.spi.ProviderConnection;

import ch.loway.oss.ari4java.tools.HttpParam;
import ch.loway.oss.ari4java.tools.HttpResponseHandler;
import ch.loway.oss.ari4java.tools.RestException;
import ch.loway.oss.ari4java.tools.WsClient;

import org.jspecify.annotations.Nullable;

/**
 * ari4java's REST transport, replaced: each request gets exactly its own response. ari4java's Netty client hands a
 * pooled connection back before the caller has read the answer, so under load one request can read another's (an
 * originate was seen answered with a playback, and answers came back empty), and the product would report an outcome
 * the PBX never gave. Here every exchange is one JDK HTTP/1.1 request and response. Failures keep ari4java's own
 * shapes, which the call flow was written against: a refusal by the PBX is a {@link RestException} with its HTTP
 * status; a request whose answer never came (a timeout, a broken connection) is a {@link RestException} without a
 * status (code 0) whose cause is an {@link UncheckedIOException}, never an {@link java.io.IOException}, which would
 * read as an answer that only failed to parse ({@code AriCallFlow.accepted}). Its outcome is unknown: callers that
 * care ask the PBX what happened. At most {@link #CONCURRENT} requests of a session are in flight at once
 * (Asterisk's HTTP server serves a limited number of sessions).
 * <p>
 * ari4java also insists on a WebSocket client; the session reads events over a socket of its own, so this one
 * refuses to connect.
 */
final class AriRest implements ch.loway.oss.ari4java.tools.HttpClient, WsClient {

	static final int CONCURRENT = 8;

	private final HttpClient http;

	private final URI base;

	private final String authorization;

	private final Duration timeout;

	private final Semaphore inFlight = new Semaphore(CONCURRENT);

	AriRest(ProviderConnection connection, Duration connectTimeout, Duration timeout) {
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
		this.base = AriHttp.uri(connection, "");
		this.authorization = AriHttp.basic(connection);
		this.timeout = timeout;
	}

	@Override
	public @Nullable String httpActionSync(String uri, String method, @Nullable List<HttpParam> query,
			@Nullable String body, @Nullable List<ch.loway.oss.ari4java.tools.HttpResponse> errors) throws RestException {
		var bytes = exchange(uri, method, query, body, errors);
		return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
	}

	@Override
	public byte @Nullable [] httpActionSyncAsBytes(String uri, String method, @Nullable List<HttpParam> query,
			@Nullable String body, @Nullable List<ch.loway.oss.ari4java.tools.HttpResponse> errors) throws RestException {
		return exchange(uri, method, query, body, errors);
	}

	@Override
	public void httpActionAsync(String uri, String method, @Nullable List<HttpParam> query, @Nullable String body,
			@Nullable List<ch.loway.oss.ari4java.tools.HttpResponse> errors, HttpResponseHandler handler, boolean binary) {
		Thread.ofVirtual().name("ari-rest-async").start(() -> {
			try {
				var bytes = exchange(uri, method, query, body, errors);
				if (binary) {
					handler.onSuccess(bytes);
				}
				else {
					handler.onSuccess(bytes == null ? null : new String(bytes, StandardCharsets.UTF_8));
				}
			}
			catch (RestException | RuntimeException ex) {
				handler.onFailure(ex);
			}
		});
	}

	private byte @Nullable [] exchange(String path, String method, @Nullable List<HttpParam> query, @Nullable String body,
			@Nullable List<ch.loway.oss.ari4java.tools.HttpResponse> errors) throws RestException {
		var request = HttpRequest.newBuilder(URI.create(base + path + queryString(query)))
			.timeout(timeout)
			.header("Authorization", authorization);
		if (body != null && !body.isEmpty()) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		HttpResponse<byte[]> response;
		try {
			if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw noAnswer(new IOException("no free slot for a request to the PBX within " + timeout.toSeconds() + " s"));
			}
			try {
				response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			}
			finally {
				inFlight.release();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw noAnswer(new IOException("interrupted while waiting for the PBX's answer", ex));
		}
		catch (IOException ex) {
			throw noAnswer(ex);
		}
		var status = response.statusCode();
		var content = response.body() == null || response.body().length == 0 ? null : response.body();
		if (status == 200 || status == 201 || status == 202 || status == 204) {
			return content;
		}
		var text = content == null ? null : new String(content, StandardCharsets.UTF_8);
		if (errors != null) {
			for (var known : errors) {
				if (known.getCode() == status) {
					throw new RestException(known.getDescription(), text, status);
				}
			}
		}
		throw new RestException(text, status);
	}

	/** A request whose answer never came, as ari4java reports one: no status, and a cause that is no parse error. */
	private static RestException noAnswer(IOException cause) {
		return new RestException("No answer from the PBX: " + cause, new UncheckedIOException(cause));
	}

	/** ari4java's query: parameters without a value are left out. */
	private static String queryString(@Nullable List<HttpParam> query) {
		if (query == null) {
			return "";
		}
		var joined = new StringBuilder();
		for (var param : query) {
			if (param.getValue() != null && !param.getValue().isEmpty()) {
				joined.append(joined.isEmpty() ? '?' : '&')
					.append(param.getName())
					.append('=')
					.append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
			}
		}
		return joined.toString();
	}

	@Override
	public WsClientConnection connect(HttpResponseHandler callback, String url, List<HttpParam> query)
			throws RestException {
		throw new RestException("Events are read by the session's own WebSocket, not through ari4java");
	}

	@Override
	public boolean isWsConnected() {
		return false;
	}

	@Override
	public void destroy() {
		http.close();
	}
}

package io.voxdesk;

import io.voxdesk.testing.KeycloakTestServer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client of the running application, calling as a Keycloak user with a real access token. */
final class VoxdeskApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final AtomicLong SUBSCRIBER_NUMBERS = new AtomicLong(
			ThreadLocalRandom.current().nextLong(10_000_000L, 90_000_000L));

	/** Eight digits no other call of this run got, so contacts made by tests never share a phone number. */
	static String freshSubscriberDigits() {
		return Long.toString(SUBSCRIBER_NUMBERS.getAndIncrement());
	}

	/** The first of {@code count} consecutive subscriber numbers no other call of this run got. */
	static long freshSubscriberBlock(int count) {
		return SUBSCRIBER_NUMBERS.getAndAdd(count);
	}

	private final RestClient http;

	VoxdeskApi(int port) {
		this.http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	Response get(@Nullable String user, String path) {
		return exchange(user, http.get().uri(path));
	}

	Response post(@Nullable String user, String path, String jsonBody) {
		return exchange(user, http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(jsonBody));
	}

	Response postMultipart(@Nullable String user, String path, MultiValueMap<String, Object> parts) {
		return exchange(user, http.post().uri(path).contentType(MediaType.MULTIPART_FORM_DATA).body(parts));
	}

	Response put(@Nullable String user, String path, String jsonBody) {
		return exchange(user, http.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(jsonBody));
	}

	Response delete(@Nullable String user, String path) {
		return exchange(user, http.delete().uri(path));
	}

	Response postEmpty(@Nullable String user, String path) {
		return exchange(user, http.post().uri(path));
	}

	/** A binary GET, optionally for a byte range ({@code bytes=100-199}). */
	Bytes getBytes(String user, String path, @Nullable String range) {
		var spec = http.get().uri(path).header("Authorization", "Bearer " + KeycloakTestServer.accessToken(user));
		if (range != null) {
			spec = spec.header("Range", range);
		}
		return spec.exchange((request, response) -> new Bytes(response.getStatusCode().value(),
				String.valueOf(response.getHeaders().getContentType()), response.getBody().readAllBytes()));
	}

	/** A binary GET asking for {@code language} ({@code Accept-Language}). */
	Bytes getBytesIn(String user, String path, String language) {
		return http.get()
			.uri(path)
			.header("Authorization", "Bearer " + KeycloakTestServer.accessToken(user))
			.header("Accept-Language", language)
			.exchange((request, response) -> new Bytes(response.getStatusCode().value(),
					String.valueOf(response.getHeaders().getContentType()), response.getBody().readAllBytes()));
	}

	Response withToken(String token, String path) {
		return read(http.get().uri(path).header("Authorization", "Bearer " + token));
	}

	/** A POST with the given access token (a service account's, say) instead of a realm user's. */
	Response postWithToken(String token, String path, String jsonBody) {
		return read(http.post()
			.uri(path)
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.body(jsonBody));
	}

	/** A DELETE with the given access token. */
	Response deleteWithToken(String token, String path) {
		return read(http.delete().uri(path).header("Authorization", "Bearer " + token));
	}

	/** Makes sure a tenant exists and is active, whatever earlier tests did to it. */
	void ensureActiveTenant(String id) {
		var created = post("platform", "/api/tenants", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}");
		if (created.status() != 201 && created.status() != 409) {
			throw new IllegalStateException("Could not create tenant " + id + ": " + created);
		}
		postEmpty("platform", "/api/tenants/" + id + "/reactivate");
	}

	/**
	 * Replaces acme's provider connections with one Asterisk connection to the PBX at {@code baseUrl} (the simulator)
	 * and returns its id, for tests with several instances. {@code extraSettings}: more settings as JSON members
	 * ({@code , "recording": "false"}), or empty.
	 */
	String replaceAcmeAsteriskConnection(String name, String application, String password, String baseUrl,
			String extraSettings) {
		ensureActiveTenant("acme");
		for (var existing : get("acme-admin", "/api/provider-connections").json()) {
			delete("acme-admin", "/api/provider-connections/" + existing.path("id").asString());
		}
		var created = post("acme-admin", "/api/provider-connections", """
				{"kind": "asterisk", "name": "%s", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s", "username": "voxdesk", "application": "%s",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk"%s}}"""
			.formatted(name, password, baseUrl, application, extraSettings));
		if (created.status() != 201) {
			throw new IllegalStateException("Could not connect acme to " + baseUrl + ": " + created);
		}
		return created.json().path("id").asString();
	}

	private Response exchange(@Nullable String user, RestClient.RequestHeadersSpec<?> spec) {
		if (user != null) {
			spec = spec.header("Authorization", "Bearer " + KeycloakTestServer.accessToken(user));
		}
		return read(spec);
	}

	private static Response read(RestClient.RequestHeadersSpec<?> spec) {
		return spec.exchange((request, response) -> {
			var body = new String(response.getBody().readAllBytes());
			return new Response(response.getStatusCode().value(),
					String.valueOf(response.getHeaders().getContentType()), body);
		});
	}

	/** A binary answer. */
	record Bytes(int status, String contentType, byte[] body) {
	}

	/** An answer: status, content type and body. */
	record Response(int status, String contentType, String body) {

		JsonNode json() {
			return JSON.readTree(body);
		}

		String detail() {
			return json().path("detail").asString();
		}

		boolean isProblem() {
			return contentType.startsWith("application/problem+json");
		}
	}
}

package io.voxdesk.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Keycloak the integration tests get their tokens from. Uses the one already running on loopback
 * (started by {@code ./voxdesk} or a developer), else starts it with {@code scripts/keycloak.sh} from the
 * distribution Maven fetched, and stops it when the test JVM exits.
 */
public final class KeycloakTestServer {

	public static final String REALM = "voxdesk";

	/** Every demo and test user's password, as defined in {@code keycloak/voxdesk-realm.json}. */
	public static final String DEMO_PASSWORD = "demo";

	/** The dev realm's secret of Voxdesk's own client, through which it manages service accounts. */
	public static final String DEV_ADMIN_CLIENT_SECRET = "voxdesk-api-dev-secret";

	private static final String BASE = System.getProperty("voxdesk.test.keycloak.url", "http://127.0.0.1:8180");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, CachedToken> TOKENS = new ConcurrentHashMap<>();

	private static volatile boolean ready;

	private KeycloakTestServer() {
	}

	public static String issuer() {
		return BASE + "/realms/" + REALM;
	}

	/** Makes sure Keycloak answers, starting it if nobody else did. */
	public static synchronized void ensureRunning() {
		if (ready || (ready = answers())) {
			return;
		}
		var root = Path.of(System.getProperty("voxdesk.root", "../.."));
		var script = root.resolve("scripts/keycloak.sh");
		if (!Files.isExecutable(script)) {
			throw new IllegalStateException("Keycloak is not running at " + BASE + " and " + script + " is missing");
		}
		run(script, "start");
		Runtime.getRuntime().addShutdownHook(new Thread(() -> run(script, "stop")));
		if (!(ready = answers())) {
			throw new IllegalStateException("Keycloak did not come up at " + BASE + "; see .voxdesk/keycloak.log");
		}
	}

	/** A fresh-enough access token of a realm user, obtained with the password grant of the dev client. */
	public static String accessToken(String username) {
		return token(username).path("access_token").asString();
	}

	/** The whole token response of a realm user (access and refresh token). */
	public static JsonNode token(String username) {
		ensureRunning();
		var cached = TOKENS.get(username);
		if (cached != null && cached.freshUntil().isAfter(Instant.now())) {
			return cached.response();
		}
		var response = post(issuer() + "/protocol/openid-connect/token", Map.of("grant_type", "password",
				"client_id", "voxdesk-web", "username", username, "password", DEMO_PASSWORD, "scope", "openid"));
		var lifetime = response.path("expires_in").asLong(60);
		TOKENS.put(username, new CachedToken(response, Instant.now().plusSeconds(Math.max(5, lifetime - 60))));
		return response;
	}

	/** A service account's access token, obtained with the client credentials grant. */
	public static String clientToken(String clientId, String secret) {
		ensureRunning();
		return post(issuer() + "/protocol/openid-connect/token", Map.of("grant_type", "client_credentials",
				"client_id", clientId, "client_secret", secret)).path("access_token").asString();
	}

	/** POSTs a form to Keycloak and returns the JSON answer, failing on any non-2xx status. */
	public static JsonNode post(String url, Map<String, String> form) {
		var body = form.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		var request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException("Keycloak answered " + response.statusCode() + " to " + url + ": "
						+ response.body());
			}
			return JSON.readTree(response.body());
		}
		catch (IOException e) {
			throw new IllegalStateException("Keycloak at " + url + " is unreachable", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static boolean answers() {
		try {
			var request = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
				.timeout(Duration.ofSeconds(3))
				.build();
			return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void run(Path script, String command) {
		try {
			var process = new ProcessBuilder(script.toString(), command).inheritIO().start();
			if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException(script + " " + command + " failed");
			}
		}
		catch (IOException e) {
			throw new IllegalStateException("Could not run " + script, e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private record CachedToken(JsonNode response, Instant freshUntil) {
	}
}

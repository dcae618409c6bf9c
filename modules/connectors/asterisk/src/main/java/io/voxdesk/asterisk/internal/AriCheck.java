package io.voxdesk.asterisk.internal;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.regex.Pattern;

import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectionCheck.Step;
import io.voxdesk.calls.spi.ProviderConnection;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * "Test connection" for Asterisk, over plain HTTP with short timeouts (ari4java's are 10 and 30 seconds): is the
 * PBX reachable, does it accept the credentials, which version is it, and is the events WebSocket up.
 */
@Component
class AriCheck {

	private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

	private final AsteriskSettings settings;

	private final OutboundTargets targets;

	private final RestClient client;

	AriCheck(AsteriskSettings settings, OutboundTargets targets, RestClient.Builder builder) {
		this.settings = settings;
		this.targets = targets;
		this.client = AriHttp.client(builder, settings.testTimeout(), settings.testTimeout());
	}

	ConnectionCheck run(ProviderConnection connection, @Nullable AriSession session, @Nullable String heldBy) {
		var started = System.nanoTime();
		var steps = new ArrayList<Step>();
		var info = get("/asterisk/info", connection);
		if (info.failure() != null) {
			steps.add(new Step("reachable", false, info.failure()));
			return done(false, "The PBX at " + connection.setting("baseUrl") + " cannot be reached: " + info.failure()
					+ ".", steps, started);
		}
		steps.add(new Step("reachable", true, "ARI answered at " + connection.setting("baseUrl")));
		if (info.status() == 401) {
			steps.add(new Step("credentials accepted", false, "the PBX rejected user '" + connection.setting("username")
					+ "' and its password"));
			return done(false, "The PBX rejected the ARI username or password.", steps, started);
		}
		if (info.status() != 200) {
			steps.add(new Step("credentials accepted", false, "unexpected HTTP " + info.status()));
			return done(false, "The PBX answered HTTP " + info.status() + " instead of its system information.",
					steps, started);
		}
		steps.add(new Step("credentials accepted", true, "user '" + connection.setting("username") + "'"));
		var matcher = VERSION.matcher(info.body());
		// Only a plain version number is repeated: the rest of what the target says is not shown back.
		var version = matcher.find() && matcher.group(1).matches("[0-9A-Za-z._~+-]{1,40}") ? matcher.group(1) : "unknown";
		steps.add(new Step("Asterisk version", true, "Asterisk " + version));
		var music = connection.settings().get(AsteriskAdapter.HOLD_MUSIC);
		if (music != null) {
			var module = get("/asterisk/modules/res_musiconhold.so", connection);
			if (module.status() != 200) {
				steps.add(new Step("music on hold", false, "Asterisk has no music on hold (res_musiconhold is not "
						+ "loaded), so a held customer hears silence instead of class '" + music + "'"));
				return done(false, "Asterisk " + version + " has no music on hold module for the class '" + music
						+ "' this connection puts held customers on.", steps, started);
			}
			// ARI lists no music on hold classes: whether the class exists only musiconhold.conf can tell.
			steps.add(new Step("music on hold", true, "res_musiconhold is loaded; held customers hear class '" + music
					+ "' (it must exist in musiconhold.conf: ARI cannot list classes)"));
		}
		// A connection created or saved a moment ago is still making its first attempt: wait for it rather than
		// report a failure that is only "not yet".
		var socket = session == null ? null : session.settled(settings.attemptTimeout());
		var app = connection.setting("application");
		boolean subscribed;
		if (socket == AriSession.State.CONNECTING) {
			steps.add(new Step("events WebSocket", false, "application '" + app + "' is connecting"));
			return done(false, "Asterisk " + version + " accepts the credentials; Voxdesk is still connecting its "
					+ "events WebSocket: try again in a moment.", steps, started);
		}
		if (socket == AriSession.State.CONNECTED) {
			steps.add(new Step("events WebSocket", true, "application '" + app + "' is connected and receiving events"));
			subscribed = true;
		}
		else {
			var why = socket != null
					? socket.name().toLowerCase() + (session.lastProblem() == null ? "" : ": " + session.lastProblem())
					: heldBy != null ? "another Voxdesk instance, " + heldBy + ", holds the connection and its socket"
					: "the connection is disabled, so Voxdesk does not subscribe";
			steps.add(new Step("events WebSocket", false, "application '" + app + "' is not connected (" + why + ")"));
			subscribed = false;
		}
		return done(subscribed, subscribed ? "Connected to Asterisk " + version + "; calls can be placed."
				: "Asterisk " + version + " accepts the credentials, but the events WebSocket is not connected.",
				steps, started);
	}

	/**
	 * Why the event WebSocket could not be opened, in words: ari4java only says that it closed, so the same PBX is
	 * asked over plain HTTP.
	 */
	String diagnose(ProviderConnection connection) {
		var info = get("/asterisk/info", connection);
		if (info.failure() != null) {
			return info.failure();
		}
		return switch (info.status()) {
			case 401 -> "the PBX rejected the ARI username or password";
			case 200 -> "ARI answers over HTTP but refused or closed the event WebSocket";
			default -> "ARI answered HTTP " + info.status();
		};
	}

	private Reply get(String path, ProviderConnection connection) {
		try {
			targets.check(connection.setting("baseUrl"));
		}
		catch (ProviderException ex) {
			return new Reply(0, "", ex.getMessage());
		}
		try {
			return client.get()
				.uri(AriHttp.uri(connection, path))
				.header(HttpHeaders.AUTHORIZATION, AriHttp.basic(connection))
				.exchange((request, response) -> new Reply(response.getStatusCode().value(),
						new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8), null));
		}
		catch (IllegalArgumentException ex) {
			return new Reply(0, "", "the base URL is not valid");
		}
		catch (RuntimeException ex) {
			return new Reply(0, "", describe(ex));
		}
	}

	/** Why the PBX gave no answer, from the cause the client wraps (never its message, which names the URL). */
	private String describe(Throwable failure) {
		for (var cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpTimeoutException) {
				return "no answer within " + settings.testTimeout().toSeconds() + " s";
			}
			if (cause instanceof ConnectException) {
				return "connection refused";
			}
			if (cause instanceof javax.net.ssl.SSLException) {
				return "the TLS handshake failed";
			}
		}
		return "unreachable";
	}

	private static ConnectionCheck done(boolean ok, String summary, ArrayList<Step> steps, long started) {
		return new ConnectionCheck(ok, summary, steps, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	private record Reply(int status, String body, @Nullable String failure) {
	}
}

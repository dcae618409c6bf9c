package io.voxdesk.api4com.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.api4com.internal.Api4comHttp.Reply;
import io.voxdesk.api4com.internal.Api4comHttp.Unreachable;
import io.voxdesk.api4com.internal.WebhookStore.Registration;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectionCheck.Step;
import io.voxdesk.calls.spi.ProviderConnection;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * "Test connection" for API4COM, each request bounded by the test timeout: is API4COM reachable, does it accept
 * the token and for which account, may the token's user manage webhook integrations (only ADMIN users may), and
 * is Voxdesk's webhook the one API4COM sends call events to.
 */
final class Api4comCheck {

	private final Api4comHttp http;

	private final Api4comSettings settings;

	Api4comCheck(Api4comHttp http, Api4comSettings settings) {
		this.http = http;
		this.settings = settings;
	}

	ConnectionCheck run(ProviderConnection connection, @Nullable Registration registration, String publicBaseUrl) {
		var started = System.nanoTime();
		var steps = new ArrayList<Step>();
		try {
			return check(connection, registration, publicBaseUrl, steps, started);
		}
		catch (RuntimeException ex) {
			steps.add(new Step("unexpected error", false, ex.getClass().getSimpleName()));
			return done(false, "Testing the connection failed inside Voxdesk (" + ex.getClass().getSimpleName() + ").",
					steps, started);
		}
	}

	private ConnectionCheck check(ProviderConnection connection, @Nullable Registration registration,
			String publicBaseUrl, List<Step> steps, long started) {
		var base = Api4comHttp.baseUrl(connection);
		Reply me;
		try {
			me = get(connection, "/users/me");
		}
		catch (Unreachable ex) {
			steps.add(new Step("reachable", false, ex.getMessage()));
			return done(false, "API4COM at " + base + " cannot be reached: " + ex.getMessage() + ".", steps, started);
		}
		steps.add(new Step("reachable", true, "API4COM answered at " + base));
		if (me.tokenRejected()) {
			steps.add(new Step("token accepted", false, "API4COM answered HTTP " + me.status() + " to the token"));
			return done(false, "API4COM rejected the token.", steps, started);
		}
		if (!me.ok()) {
			steps.add(new Step("token accepted", false, "API4COM answered HTTP " + me.status() + ", not the token's user"));
			return done(false, "API4COM answered HTTP " + me.status() + " instead of the token's user.", steps, started);
		}
		var user = me.json();
		steps.add(new Step("token accepted", true, describeUser(user)));
		var domain = domain(connection, user);
		steps.add(new Step("account", true, domain.isEmpty() ? "API4COM did not say which account the token "
				+ "belongs to" : "domain " + domain));

		Reply integrations;
		try {
			integrations = get(connection, "/integrations");
		}
		catch (Unreachable ex) {
			steps.add(new Step("may manage webhooks", false, ex.getMessage()));
			return done(false, "API4COM accepts the token but did not answer whether it may register webhooks: "
					+ ex.getMessage() + ".", steps, started);
		}
		if (integrations.tokenRejected()) {
			steps.add(new Step("may manage webhooks", false, "API4COM answered HTTP " + integrations.status()
					+ " to GET /integrations: only an ADMIN user's token may manage webhook integrations"));
			return done(false, "API4COM accepts the token, but its user is not an ADMIN, so Voxdesk cannot register the "
					+ "webhook that reports calls; use an ADMIN user's token.", steps, started);
		}
		if (!integrations.ok()) {
			steps.add(new Step("may manage webhooks", false,
					"API4COM answered HTTP " + integrations.status() + ", not its integrations"));
			return done(false, "API4COM answered HTTP " + integrations.status() + " when asked for its integrations.",
					steps, started);
		}
		steps.add(new Step("may manage webhooks", true, "the token's user may register webhook integrations"));

		var webhook = webhook(connection, registration, integrations.json(), publicBaseUrl);
		steps.add(webhook);
		var account = domain.isEmpty() ? "API4COM" : "API4COM (" + domain + ")";
		return done(webhook.ok(), webhook.ok() ? "Connected to " + account + "; calls can be placed and their events "
				+ "arrive by webhook." : account + " accepts the token, but call events do not reach Voxdesk: "
						+ webhook.detail() + ".", steps, started);
	}

	private Step webhook(ProviderConnection connection, @Nullable Registration registration, JsonNode listing,
			String publicBaseUrl) {
		var name = "webhook registered";
		if (!connection.enabled()) {
			return new Step(name, false, "the connection is disabled, so no webhook is registered");
		}
		if (registration == null) {
			return new Step(name, false, "the webhook is not registered yet; try again in a few seconds");
		}
		if (registration.problem() != null) {
			return new Step(name, false, "registering the webhook failed: " + hide(registration.problem(), connection));
		}
		String registeredUrl = null;
		for (var integration : WebhookRegistration.integrations(listing)) {
			if (Api4comFacts.GATEWAY.equals(Json.text(integration, "gateway"))) {
				registeredUrl = Json.text(Json.object(integration.path("metadata")), "webhookUrl");
			}
		}
		if (registeredUrl == null) {
			return new Step(name, false, "API4COM has no integration for gateway '" + Api4comFacts.GATEWAY
					+ "'; save the connection again to register it");
		}
		var prefix = publicBaseUrl + WebhookRegistration.PATH;
		var token = registeredUrl.startsWith(prefix) ? registeredUrl.substring(prefix.length()) : "";
		if (token.isEmpty() || !WebhookStore.hash(token).equals(registration.tokenHash())) {
			// Never show the URL: it holds the token of whoever registered it.
			return new Step(name, false, "API4COM sends call events of gateway '" + Api4comFacts.GATEWAY
					+ "' to another URL (another Voxdesk, or a changed public URL); save the connection again to take "
					+ "them back");
		}
		return new Step(name, true, "call events are sent to " + prefix + "… since " + registration.registeredAt());
	}

	private Reply get(ProviderConnection connection, String path) {
		return http.send(connection, "GET", path, null, settings.testTimeout());
	}

	/** The account's domain: {@code /users/me} may carry it, {@code GET /accounts} does. */
	private String domain(ProviderConnection connection, JsonNode user) {
		var domain = Json.text(user, "domain");
		if (!domain.isEmpty()) {
			return domain;
		}
		try {
			var accounts = get(connection, "/accounts");
			if (!accounts.ok()) {
				return "";
			}
			var json = accounts.json();
			var account = json.isArray() ? json.path(0) : json.path("data").isArray() ? json.path("data").path(0) : json;
			return Json.text(account, "domain");
		}
		catch (Unreachable ex) {
			return "";
		}
	}

	private static String describeUser(JsonNode user) {
		var who = Json.text(user, "email");
		if (who.isEmpty()) {
			who = (Json.text(user, "first_name") + " " + Json.text(user, "last_name")).strip();
		}
		if (who.isEmpty()) {
			who = Json.text(user, "name");
		}
		var role = Json.text(user, "role");
		return (who.isEmpty() ? "the token's user" : "user " + who) + (role.isEmpty() ? "" : " (" + role + ")");
	}

	private static String hide(String text, ProviderConnection connection) {
		return Api4comHttp.hide(text, connection);
	}

	private static ConnectionCheck done(boolean ok, String summary, List<Step> steps, long started) {
		return new ConnectionCheck(ok, summary, steps, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}
}

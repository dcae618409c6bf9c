package io.voxdesk.api4com.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.api4com.internal.Api4comHttp.Unreachable;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.spi.ProviderConnection;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

/**
 * Registers Voxdesk's webhook with a connection's API4COM ({@code PATCH /integrations}, one integration per gateway
 * and user). Each registration gets a new URL token. API4COM answers 422 "User integration already exists, please
 * send ID to update" when the gateway is registered already, so the integration's id is then looked up and the
 * request repeated with it. Failures are recorded for "Test connection" and never thrown: the admin's change that
 * triggered the registration has been saved whatever API4COM says.
 */
@Component
class WebhookRegistration {

	private static final Logger log = LoggerFactory.getLogger(WebhookRegistration.class);

	static final String PATH = "/webhooks/api4com/";

	private final Api4comHttp http;

	private final WebhookStore store;

	private final Api4comSettings settings;

	private final TransactionTemplate ownTransaction;

	private final Clock clock;

	/** One registration per connection at a time, so the token API4COM has last is the one stored last. */
	private final Map<ProviderConnectionId, Object> locks = new ConcurrentHashMap<>();

	WebhookRegistration(Api4comHttp http, WebhookStore store, Api4comSettings settings,
			PlatformTransactionManager transactions, Optional<Clock> clock) {
		this.http = http;
		this.store = store;
		this.settings = settings;
		this.ownTransaction = new TransactionTemplate(transactions);
		// Committed before the lock is released, even when the caller runs in a transaction of its own.
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock.orElse(Clock.systemUTC());
	}

	String publicBaseUrl() {
		return settings.publicBaseUrl().strip().replaceAll("/+$", "");
	}

	/** Registers a new webhook URL for the connection; call in the connection's tenant scope. */
	void register(ProviderConnection connection) {
		synchronized (locks.computeIfAbsent(connection.id(), id -> new Object())) {
			var token = WebhookStore.newToken();
			var base = publicBaseUrl();
			String problem;
			try {
				var integration = patch(connection, base + PATH + token);
				ownTransaction.executeWithoutResult(status -> store.registered(connection.tenant(), connection.id(),
						WebhookStore.hash(token), integration, base, clock.instant()));
				log.info("API4COM connection {}: webhook registered (integration {})", connection.id(), integration);
				return;
			}
			catch (Refused ex) {
				problem = ex.getMessage();
			}
			catch (Unreachable ex) {
				problem = "API4COM could not be reached: " + ex.getMessage();
			}
			catch (RuntimeException ex) {
				log.error("API4COM connection {}: registering the webhook failed", connection.id(), ex);
				problem = "an internal error in Voxdesk (" + ex.getClass().getSimpleName() + ")";
			}
			var reason = Api4comHttp.hide(problem, connection);
			log.warn("API4COM connection {}: registering the webhook failed: {}", connection.id(), reason);
			ownTransaction.executeWithoutResult(status -> store.failed(connection.tenant(), connection.id(), reason,
					clock.instant()));
		}
	}

	/**
	 * Registers again when the connection has no working registration and the last attempt is old enough, or when
	 * Voxdesk's public URL changed since.
	 */
	void registerIfNeeded(ProviderConnection connection, Instant now) {
		var registration = store.find(connection.id()).orElse(null);
		var due = registration == null
				|| (registration.problem() == null && !publicBaseUrl().equals(registration.publicBaseUrl()))
				|| (registration.problem() != null && (registration.attemptedAt() == null
						|| registration.attemptedAt().plus(settings.registrationRetry()).isBefore(now)));
		if (due) {
			register(connection);
		}
	}

	void forget(ProviderConnectionId connection) {
		store.delete(connection);
		locks.remove(connection);
	}

	/** @return API4COM's id of the integration, when it says. */
	private @Nullable String patch(ProviderConnection connection, String url) {
		var reply = http.send(connection, "PATCH", "/integrations", integration(null, url), settings.requestTimeout());
		if (reply.status() == 422 && reply.says("already exists")) {
			var existing = voxdeskIntegration(connection);
			if (existing == null) {
				throw new Refused("API4COM says a Voxdesk integration exists but does not list it: " + reply.message());
			}
			reply = http.send(connection, "PATCH", "/integrations", integration(existing, url), settings.requestTimeout());
			if (reply.ok()) {
				return idOf(reply.json(), existing);
			}
		}
		if (reply.ok()) {
			return idOf(reply.json(), null);
		}
		if (reply.tokenRejected()) {
			throw new Refused("API4COM refused to register the webhook: the token is wrong, or its user is not an ADMIN "
					+ "(only ADMIN users may manage integrations): " + reply.message());
		}
		throw new Refused("API4COM refused to register the webhook: " + reply.message());
	}

	/** The id of the integration of gateway {@code voxdesk} in {@code GET /integrations}. */
	private @Nullable JsonNode voxdeskIntegration(ProviderConnection connection) {
		var reply = http.send(connection, "GET", "/integrations", null, settings.requestTimeout());
		if (!reply.ok()) {
			throw new Refused("API4COM did not list its integrations: " + reply.message());
		}
		for (var integration : integrations(reply.json())) {
			if (Api4comFacts.GATEWAY.equals(Json.text(integration, "gateway")) && !integration.path("id").isMissingNode()
					&& !integration.path("id").isNull()) {
				return integration.path("id");
			}
		}
		return null;
	}

	/** The list of {@code GET /integrations}: a plain array, or inside {@code data} as {@code /calls} does. */
	static Iterable<JsonNode> integrations(JsonNode listing) {
		var list = listing.isArray() ? listing : listing.path("data");
		return list.isArray() ? list.values() : java.util.List.of();
	}

	static JsonNode integration(@Nullable JsonNode id, String url) {
		var body = Json.object();
		if (id != null) {
			body.set("id", id);
		}
		body.put("gateway", Api4comFacts.GATEWAY);
		body.put("webhook", true);
		// Every call of the account: inbound calls carry no Voxdesk metadata a constraint could match.
		body.putObject("webhookConstraint");
		var metadata = body.putObject("metadata");
		metadata.put("webhookUrl", url);
		metadata.put("webhookVersion", "v1.4");
		var types = metadata.putArray("webhookTypes");
		types.add(Api4comFacts.CREATE);
		types.add(Api4comFacts.ANSWER);
		types.add(Api4comFacts.HANGUP);
		return body;
	}

	private static @Nullable String idOf(JsonNode answer, @Nullable JsonNode known) {
		var id = Json.text(answer, "id");
		if (!id.isEmpty()) {
			return id;
		}
		return known == null ? null : Json.text(known);
	}

	/** API4COM answered, but no. */
	static final class Refused extends RuntimeException {

		Refused(String message) {
			super(message, null, false, false);
		}
	}
}

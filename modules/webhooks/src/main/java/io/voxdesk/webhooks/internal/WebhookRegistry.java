package io.voxdesk.webhooks.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.webhooks.WebhookEndpointChanged;
import io.voxdesk.webhooks.WebhookEndpointId;
import io.voxdesk.webhooks.WebhooksSettings;
import io.voxdesk.webhooks.internal.WebhookEndpoints.Endpoint;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/** A tenant admin's webhook endpoints: registration, secrets, the delivery log, "send again" and test events. */
@Service
@Transactional
class WebhookRegistry {

	private final WebhookEndpoints endpoints;

	private final WebhookDeliveries deliveries;

	private final WebhookTargets targets;

	private final WebhookOutbox outbox;

	private final SecretCipher cipher;

	private final TenantContext context;

	private final WebhooksSettings settings;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	WebhookRegistry(WebhookEndpoints endpoints, WebhookDeliveries deliveries, WebhookTargets targets,
			WebhookOutbox outbox, SecretCipher cipher, TenantContext context, WebhooksSettings settings,
			ApplicationEventPublisher events, Optional<Clock> clock) {
		this.endpoints = endpoints;
		this.deliveries = deliveries;
		this.targets = targets;
		this.outbox = outbox;
		this.cipher = cipher;
		this.context = context;
		this.settings = settings;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** Registers an endpoint; the answer carries its signing secret, which is never shown again. */
	WithSecret create(String url, @Nullable String description, List<String> eventTypes, boolean enabled) {
		var checkedUrl = checked(url);
		var types = types(eventTypes);
		var secret = WebhookSigner.newSecret();
		var now = clock.instant();
		var endpoint = new Endpoint(WebhookEndpointId.of(UUID.randomUUID()), context.currentTenant(), checkedUrl,
				description, types, enabled, null, null, cipher.encrypt(WebhookEndpoints.SECRET, secret), null, null,
				now, now);
		endpoints.insert(endpoint);
		changed(endpoint.id(), "created", checkedUrl);
		return new WithSecret(get(endpoint.id()), secret, null);
	}

	@Transactional(readOnly = true)
	List<Details> list() {
		return endpoints.all().stream().map(this::details).toList();
	}

	@Transactional(readOnly = true)
	Details get(WebhookEndpointId id) {
		return details(endpoint(id));
	}

	Details update(WebhookEndpointId id, String url, @Nullable String description, List<String> eventTypes,
			boolean enabled) {
		endpoint(id);
		var checkedUrl = checked(url);
		endpoints.update(id, checkedUrl, description, types(eventTypes), enabled, clock.instant());
		changed(id, "updated", checkedUrl);
		return get(id);
	}

	void delete(WebhookEndpointId id) {
		var endpoint = endpoint(id);
		endpoints.delete(id);
		changed(id, "deleted", endpoint.url());
	}

	/** A new secret; the previous one keeps signing, next to it, for the overlap window. */
	WithSecret rotate(WebhookEndpointId id) {
		var endpoint = endpoint(id);
		var secret = WebhookSigner.newSecret();
		var now = clock.instant();
		var until = now.plus(settings.secretOverlap());
		endpoints.rotate(id, cipher.encrypt(WebhookEndpoints.SECRET, secret), until, now);
		changed(id, "secret-rotated", endpoint.url());
		return new WithSecret(get(id), secret, until);
	}

	@Transactional(readOnly = true)
	List<WebhookDeliveries.Delivery> deliveries(WebhookEndpointId id, @Nullable String state, int limit) {
		endpoint(id);
		return deliveries.log(id, state, Math.clamp(limit, 1, 200));
	}

	@Transactional(readOnly = true)
	DeliveryWithAttempts delivery(WebhookEndpointId id, UUID delivery) {
		var found = deliveries.find(endpoint(id).id(), delivery).orElseThrow(() -> notFound("Delivery not found",
				"This endpoint has no delivery " + delivery + "."));
		return new DeliveryWithAttempts(found, deliveries.attempts(delivery));
	}

	/** Sends one delivery again, now, with its retries starting over. */
	void sendAgain(WebhookEndpointId id, UUID delivery) {
		delivery(id, delivery);
		if (!deliveries.sendAgain(id, delivery, clock.instant())) {
			throw new ErrorResponseException(HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, "Delivery in progress",
					"This delivery is being attempted right now; look at its log again in a few seconds."), null);
		}
	}

	/** Queues a {@code webhook.test} delivery to the endpoint, whatever it subscribed to. */
	UUID test(WebhookEndpointId id) {
		var endpoint = endpoint(id);
		if (!endpoint.enabled()) {
			throw new ErrorResponseException(HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, "Endpoint turned off",
					"The endpoint is turned off; turn it on to send it a test event."), null);
		}
		return outbox.test(context.currentTenant(), id);
	}

	private Endpoint endpoint(WebhookEndpointId id) {
		return endpoints.find(id).orElseThrow(() -> notFound("Webhook endpoint not found",
				"There is no webhook endpoint " + id + " in your tenant."));
	}

	private String checked(String url) {
		try {
			return targets.check(url).toString();
		}
		catch (WebhookTargets.RefusedTarget ex) {
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
					problem(HttpStatus.BAD_REQUEST, "Webhook URL refused", ex.getMessage()), ex);
		}
	}

	private static List<String> types(List<String> eventTypes) {
		var unknown = eventTypes.stream().filter(type -> WebhookEventType.of(type).isEmpty()).toList();
		if (!unknown.isEmpty() || eventTypes.isEmpty()) {
			var known = Arrays.stream(WebhookEventType.values())
				.filter(type -> type != WebhookEventType.TEST)
				.map(WebhookEventType::code)
				.toList();
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST,
					"Unknown event type", (eventTypes.isEmpty() ? "Choose at least one event type"
							: "Not an event type: " + String.join(", ", unknown)) + "; the types are: "
							+ String.join(", ", known) + "."), null);
		}
		return List.copyOf(new LinkedHashSet<>(eventTypes));
	}

	private void changed(WebhookEndpointId id, String change, String url) {
		events.publishEvent(new WebhookEndpointChanged(context.currentTenant(), id, change,
				WebhookEndpoints.hostOf(url), context.actor(), clock.instant()));
	}

	private Details details(Endpoint endpoint) {
		var now = clock.instant();
		var overlap = endpoint.previousSecretUntil() != null && endpoint.previousSecretUntil().isAfter(now)
				? endpoint.previousSecretUntil() : null;
		return new Details(endpoint.id(), endpoint.url(), endpoint.description(), endpoint.eventTypes(),
				endpoint.enabled(), endpoint.disabledAt() != null, endpoint.disabledAt(), endpoint.disabledReason(),
				overlap, endpoint.createdAt(), endpoint.updatedAt());
	}

	private static ErrorResponseException notFound(String title, String detail) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND, problem(HttpStatus.NOT_FOUND, title, detail), null);
	}

	static ProblemDetail problem(HttpStatus status, String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	/**
	 * An endpoint as its admin sees it: {@code disabledByVoxdesk} with when and why when deliveries failed for the
	 * whole retry window; {@code previousSecretValidUntil} while a rotated-out secret still signs.
	 */
	record Details(WebhookEndpointId id, String url, @Nullable String description, List<String> eventTypes,
			boolean enabled, boolean disabledByVoxdesk, @Nullable Instant disabledAt, @Nullable String disabledReason,
			@Nullable Instant previousSecretValidUntil, @Nullable Instant createdAt, @Nullable Instant updatedAt) {
	}

	/** An endpoint with its new signing secret, shown this once. */
	record WithSecret(Details endpoint, String secret, @Nullable Instant previousSecretValidUntil) {
	}

	/** One delivery and each of its attempts. */
	record DeliveryWithAttempts(WebhookDeliveries.Delivery delivery, List<WebhookDeliveries.Attempt> attempts) {
	}
}

package io.voxdesk.webhooks.internal;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.webhooks.WebhookEndpointId;
import io.voxdesk.webhooks.internal.WebhookRegistry.DeliveryWithAttempts;
import io.voxdesk.webhooks.internal.WebhookRegistry.Details;
import io.voxdesk.webhooks.internal.WebhookRegistry.WithSecret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The webhook endpoints of the caller's tenant, for its admins. */
@RestController
@RequestMapping("/api/webhooks")
@PreAuthorize("hasRole('tenant-admin')")
class WebhookEndpointController {

	private final WebhookRegistry registry;

	WebhookEndpointController(WebhookRegistry registry) {
		this.registry = registry;
	}

	@Operation(summary = "Registers an endpoint; the answer holds its signing secret, shown this once")
	@PostMapping
	ResponseEntity<WithSecret> create(@Valid @RequestBody WebhookEndpointRequest request) {
		var created = registry.create(request.url(), request.description(), request.eventTypes(), request.enabledOrTrue());
		return ResponseEntity.created(URI.create("/api/webhooks/" + created.endpoint().id().value())).body(created);
	}

	@Operation(summary = "The tenant's endpoints")
	@GetMapping
	List<Details> list() {
		return registry.list();
	}

	@Operation(summary = "The event types an endpoint can subscribe to, with what each means")
	@GetMapping("/event-types")
	List<Map<String, String>> eventTypes() {
		return Arrays.stream(WebhookEventType.values())
			.map(type -> Map.of("type", type.code(), "version", Integer.toString(WebhookEventType.VERSION),
					"description", type.description()))
			.toList();
	}

	@GetMapping("/{id}")
	Details get(@PathVariable UUID id) {
		return registry.get(WebhookEndpointId.of(id));
	}

	@Operation(summary = "Changes an endpoint; enabling one that Voxdesk disabled clears the reason")
	@PutMapping("/{id}")
	Details update(@PathVariable UUID id, @Valid @RequestBody WebhookEndpointRequest request) {
		return registry.update(WebhookEndpointId.of(id), request.url(), request.description(), request.eventTypes(),
				request.enabledOrTrue());
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable UUID id) {
		registry.delete(WebhookEndpointId.of(id));
	}

	@Operation(summary = "A new signing secret, shown this once; the previous one also signs until the overlap ends")
	@PostMapping("/{id}/secret")
	WithSecret rotate(@PathVariable UUID id) {
		return registry.rotate(WebhookEndpointId.of(id));
	}

	@Operation(summary = "Queues a webhook.test delivery to the endpoint")
	@PostMapping("/{id}/test")
	ResponseEntity<Map<String, UUID>> test(@PathVariable UUID id) {
		var delivery = registry.test(WebhookEndpointId.of(id));
		return ResponseEntity.accepted()
			.location(URI.create("/api/webhooks/" + id + "/deliveries/" + delivery))
			.body(Map.of("deliveryId", delivery));
	}

	@Operation(summary = "The endpoint's delivery log, newest first (state: pending, delivered or failed)")
	@GetMapping("/{id}/deliveries")
	List<WebhookDeliveries.Delivery> deliveries(@PathVariable UUID id, @RequestParam(required = false) @Nullable String state,
			@RequestParam(defaultValue = "50") int limit) {
		return registry.deliveries(WebhookEndpointId.of(id), state, limit);
	}

	@Operation(summary = "One delivery with each attempt: status, latency, the first 1 KB of the answer")
	@GetMapping("/{id}/deliveries/{delivery}")
	DeliveryWithAttempts delivery(@PathVariable UUID id, @PathVariable UUID delivery) {
		return registry.delivery(WebhookEndpointId.of(id), delivery);
	}

	@Operation(summary = "Sends one delivery again now, its retries starting over")
	@PostMapping("/{id}/deliveries/{delivery}/send-again")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void sendAgain(@PathVariable UUID id, @PathVariable UUID delivery) {
		registry.sendAgain(WebhookEndpointId.of(id), delivery);
	}

	/** An endpoint as an admin registers or changes it; {@code enabled} defaults to true. */
	@Schema(example = """
			{"url": "https://crm.example.com/voxdesk/webhooks", "description": "Host CRM",
			 "eventTypes": ["call.ended", "call.missed", "ticket.created"], "enabled": true}""")
	record WebhookEndpointRequest(@NotBlank @Size(max = 2000) String url, @Size(max = 200) @Nullable String description,
			@NotNull @Size(min = 1, max = 20) List<String> eventTypes, @Nullable Boolean enabled) {

		boolean enabledOrTrue() {
			return enabled == null || enabled;
		}
	}
}

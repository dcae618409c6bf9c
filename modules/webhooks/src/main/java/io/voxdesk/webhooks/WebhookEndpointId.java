package io.voxdesk.webhooks;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a tenant's webhook endpoint. */
public record WebhookEndpointId(@JsonValue UUID value) {

	public static WebhookEndpointId of(UUID value) {
		return new WebhookEndpointId(value);
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

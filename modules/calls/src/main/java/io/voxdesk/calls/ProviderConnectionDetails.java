package io.voxdesk.calls;

import java.time.Instant;
import java.util.Map;

/**
 * A provider connection as the API shows it: its settings, and whether a secret is set, never the secret.
 *
 * @param settings the kind's non-secret settings, e.g. {@code baseUrl}, {@code application}.
 */
public record ProviderConnectionDetails(ProviderConnectionId id, ProviderKind kind, String name, boolean enabled,
		Map<String, String> settings, boolean secretSet, Instant createdAt, Instant updatedAt) {
}

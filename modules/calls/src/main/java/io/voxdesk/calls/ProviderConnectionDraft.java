package io.voxdesk.calls;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a tenant admin sends to create or change a provider connection.
 *
 * @param secret the ARI password or API4COM token; {@literal null} on a change keeps the stored one.
 */
public record ProviderConnectionDraft(ProviderKind kind, String name, boolean enabled, Map<String, String> settings,
		@Nullable String secret) {

	public ProviderConnectionDraft {
		Objects.requireNonNull(kind);
		Objects.requireNonNull(name);
		settings = Map.copyOf(settings);
	}

	@Override
	public String toString() {
		return "ProviderConnectionDraft[kind=" + kind + ", name=" + name + ", enabled=" + enabled + ", settings="
				+ settings + ", secret=" + (secret == null ? "unchanged" : "***") + "]";
	}
}

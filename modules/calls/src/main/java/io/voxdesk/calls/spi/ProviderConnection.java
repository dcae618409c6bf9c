package io.voxdesk.calls.spi;

import java.util.Map;
import java.util.Objects;

import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.tenants.TenantId;

/**
 * A provider connection as a connector needs it, with the secret decrypted. It never leaves the server: it is not
 * serialized, and {@link #toString()} hides the secret so it cannot reach a log by accident.
 */
public record ProviderConnection(ProviderConnectionId id, TenantId tenant, ProviderKind kind, String name,
		boolean enabled, Map<String, String> settings, String secret) {

	public ProviderConnection {
		Objects.requireNonNull(id);
		Objects.requireNonNull(tenant);
		Objects.requireNonNull(kind);
		settings = Map.copyOf(settings);
	}

	/** A setting the connection was validated to have. */
	public String setting(String name) {
		var value = settings.get(name);
		if (value == null) {
			throw new IllegalStateException("Provider connection " + id + " has no setting '" + name + "'");
		}
		return value;
	}

	@Override
	public String toString() {
		return "ProviderConnection[id=" + id + ", tenant=" + tenant + ", kind=" + kind + ", name=" + name
				+ ", enabled=" + enabled + ", settings=" + settings + ", secret=***]";
	}
}

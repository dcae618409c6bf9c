package io.voxdesk.calls.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.TelephonyConnector;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The connectors installed in this application, one per provider kind. Looked up on first use: connectors
 * themselves depend on the calls API, so they cannot be injected into it while it is built.
 */
@Component
class Connectors {

	private final ObjectProvider<TelephonyConnector> provider;

	private volatile @Nullable Map<ProviderKind, TelephonyConnector> byKind;

	Connectors(ObjectProvider<TelephonyConnector> provider) {
		this.provider = provider;
	}

	Optional<TelephonyConnector> find(ProviderKind kind) {
		return Optional.ofNullable(byKind().get(kind));
	}

	private Map<ProviderKind, TelephonyConnector> byKind() {
		var known = byKind;
		if (known == null) {
			known = new EnumMap<>(ProviderKind.class);
			for (var connector : provider.orderedStream().toList()) {
				if (known.put(connector.kind(), connector) != null) {
					throw new IllegalStateException("Two connectors for provider kind " + connector.kind().code());
				}
			}
			byKind = known;
		}
		return known;
	}
}

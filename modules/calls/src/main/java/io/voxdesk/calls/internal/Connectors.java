package io.voxdesk.calls.internal;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.TelephonyConnector;

import org.springframework.stereotype.Component;

/** The connectors installed in this application, one per provider kind. */
@Component
class Connectors {

	private final Map<ProviderKind, TelephonyConnector> byKind = new EnumMap<>(ProviderKind.class);

	Connectors(List<TelephonyConnector> connectors) {
		for (var connector : connectors) {
			if (byKind.put(connector.kind(), connector) != null) {
				throw new IllegalStateException("Two connectors for provider kind " + connector.kind().code());
			}
		}
	}

	Optional<TelephonyConnector> find(ProviderKind kind) {
		return Optional.ofNullable(byKind.get(kind));
	}

	List<TelephonyConnector> all() {
		return List.copyOf(byKind.values());
	}
}

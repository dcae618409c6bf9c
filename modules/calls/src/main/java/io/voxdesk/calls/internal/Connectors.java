package io.voxdesk.calls.internal;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.ConnectorDescription;
import io.voxdesk.calls.spi.TelephonyConnector;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The connectors installed in this application, one per provider kind, whichever modules or jars brought them.
 * Looked up on first use: connectors themselves depend on the calls API, so they cannot be injected into it while it
 * is built.
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

	/** The installed kinds, in alphabetical order. */
	List<ProviderKind> kinds() {
		return byKind().keySet().stream().sorted(Comparator.comparing(ProviderKind::code)).toList();
	}

	/** What each installed connector declares, in the connectors' {@code @Order} (the form offers the first). */
	List<ConnectorDescription> descriptions() {
		return byKind().values().stream().map(TelephonyConnector::description).toList();
	}

	private Map<ProviderKind, TelephonyConnector> byKind() {
		var known = byKind;
		if (known == null) {
			var found = new LinkedHashMap<ProviderKind, TelephonyConnector>();
			for (var connector : provider.orderedStream().toList()) {
				if (found.put(connector.kind(), connector) != null) {
					throw new IllegalStateException("Two connectors for provider kind " + connector.kind().code());
				}
			}
			known = Collections.unmodifiableMap(found);
			byKind = known;
		}
		return known;
	}
}

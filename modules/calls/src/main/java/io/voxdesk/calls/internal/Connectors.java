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
 * is built. Each is handed out {@link RelayedConnector relayed}: a request for a connection another instance serves
 * is carried out there.
 */
@Component
class Connectors {

	private final ObjectProvider<TelephonyConnector> provider;

	private final ObjectProvider<ConnectorRelay> relay;

	private volatile @Nullable Map<ProviderKind, TelephonyConnector> byKind;

	private volatile @Nullable Map<ProviderKind, TelephonyConnector> relayed;

	Connectors(ObjectProvider<TelephonyConnector> provider, ObjectProvider<ConnectorRelay> relay) {
		this.provider = provider;
		this.relay = relay;
	}

	/** The kind's connector, relaying what this instance does not serve. */
	Optional<TelephonyConnector> find(ProviderKind kind) {
		var known = relayed;
		if (known == null) {
			var found = new LinkedHashMap<ProviderKind, TelephonyConnector>();
			byKind().forEach((key, connector) -> found.put(key, new RelayedConnector(connector, relay.getObject())));
			known = Collections.unmodifiableMap(found);
			relayed = known;
		}
		return Optional.ofNullable(known.get(kind));
	}

	/** The kind's connector of this instance, for running what another instance relayed here. */
	Optional<TelephonyConnector> local(ProviderKind kind) {
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

package io.voxdesk.asterisk.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ProviderConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Owns one {@link AriSession} per enabled Asterisk connection: opens them at start-up, replaces a session when
 * its connection changes, closes it when the connection is disabled or deleted.
 */
@Component
class AriSessions implements DisposableBean, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(AriSessions.class);

	private final Map<ProviderConnectionId, AriSession> sessions = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
			Thread.ofPlatform().name("ari-supervisor-", 0).daemon().factory());

	private final AsteriskSettings settings;

	private final AriCallFlow flow;

	private final ConnectionDirectory connections;

	private final OutboundTargets targets;

	private final AriCheck check;

	AriSessions(AsteriskSettings settings, AriCallFlow flow, ConnectionDirectory connections,
			OutboundTargets targets, AriCheck check) {
		this.check = check;
		this.settings = settings;
		this.targets = targets;
		this.flow = flow;
		this.connections = connections;
	}

	@EventListener(ApplicationReadyEvent.class)
	void startAll() {
		var enabled = connections.enabledConnections(AsteriskAdapter.KIND);
		enabled.forEach(this::open);
		log.info("Asterisk connector started {} ARI connections", enabled.size());
	}

	/** Opens, replaces or closes the connection's session to match its settings. */
	synchronized void changed(ProviderConnection connection) {
		var running = sessions.get(connection.id());
		if (running != null && running.connection().equals(connection) && running.state() != AriSession.State.REPLACED) {
			return;
		}
		close(connection.id());
		if (connection.enabled()) {
			open(connection);
		}
	}

	synchronized void close(ProviderConnectionId id) {
		var session = sessions.remove(id);
		if (session != null) {
			session.stop();
		}
	}

	Optional<AriSession> find(ProviderConnectionId id) {
		return Optional.ofNullable(sessions.get(id));
	}

	List<AriSession> all() {
		return List.copyOf(sessions.values());
	}

	private void open(ProviderConnection connection) {
		var session = new AriSession(connection, settings, targets, check, scheduler, flow);
		var previous = sessions.put(connection.id(), session);
		if (previous != null) {
			previous.stop();
		}
		session.start();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		new ExecutorServiceMetrics(scheduler, "voxdesk.asterisk.supervisor", List.of()).bindTo(registry);
	}

	@Override
	public void destroy() {
		sessions.values().forEach(AriSession::stop);
		sessions.clear();
		scheduler.shutdownNow();
	}
}

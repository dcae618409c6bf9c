package io.voxdesk.asterisk.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ConnectionLeases;
import io.voxdesk.calls.spi.Lease;
import io.voxdesk.calls.spi.LeaseState;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.InstanceName;
import io.voxdesk.tenants.TenantContext;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps one {@link AriSession} per enabled Asterisk connection whose lease this instance holds. Several instances
 * share the connections: a connection is first taken by the instance where it was enabled (or, at start-up, by the
 * first instance to start); each tick (a third of the lease) renews the leases held here, takes over those whose
 * lease ran out or was released (their holder died or shut down), and follows changes made through any instance (a
 * connection edited or disabled elsewhere). An enabled connection nobody took for two ticks in a row (the instance
 * that enabled it died first) is taken too. A lease lost to another instance stops its session at once; the
 * session's work runs fenced by its lease, so whatever it still writes after losing it is refused by the database.
 */
@Component
class AriSessions implements DisposableBean, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(AriSessions.class);

	/** A session and the lease it serves under. */
	private record Held(AriSession session, Lease lease) {
	}

	private final Map<ProviderConnectionId, Held> sessions = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
			Thread.ofPlatform().name("ari-supervisor-", 0).daemon().factory());

	// Its own thread: keeping leases waits on the database, which must not hold up reconnection timers.
	private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("ari-leases").daemon().factory());

	// Renewals apart from the rest of keeping: they use the leases' own connections, while following the connections
	// reads them through the application's pool, which load can exhaust for longer than a lease.
	private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("ari-lease-renewal").daemon().factory());

	/**
	 * This instance as it names itself in the leases; a restarted process is a new holder and waits for its
	 * predecessor's lease to run out (the predecessor may only be paused).
	 */
	private final String holder;

	private final AsteriskSettings settings;

	private final AriCallFlow flow;

	private final ConnectionDirectory connections;

	private final ConnectionLeases leases;

	private final OutboundTargets targets;

	private final AriCheck check;

	private final TenantContext context;

	private volatile boolean stopped;

	/** Enabled connections that had no lease at the last tick. */
	private Set<ProviderConnectionId> unclaimed = Set.of();

	AriSessions(AsteriskSettings settings, AriCallFlow flow, ConnectionDirectory connections, ConnectionLeases leases,
			OutboundTargets targets, AriCheck check, TenantContext context, InstanceName instance) {
		this.holder = instance.value();
		this.check = check;
		this.settings = settings;
		this.targets = targets;
		this.flow = flow;
		this.connections = connections;
		this.leases = leases;
		this.context = context;
	}

	@EventListener(ApplicationReadyEvent.class)
	void startAll() {
		keep(true);
		log.info("Asterisk connector started as {}: {} ARI connections held here", holder, sessions.size());
		var tick = Math.max(100, settings.lease().toMillis() / 3);
		renewer.scheduleWithFixedDelay(this::renewHeld, tick, tick, TimeUnit.MILLISECONDS);
		keeper.scheduleWithFixedDelay(() -> keep(false), tick, tick, TimeUnit.MILLISECONDS);
	}

	/** Renews every lease held here; a session whose lease another instance took stops at once. */
	void renewHeld() {
		for (var entry : sessions.entrySet()) {
			var held = entry.getValue();
			var started = System.nanoTime();
			try {
				if (leases.renew(held.lease(), settings.lease())) {
					held.session().held(started, settings.lease());
				}
				else if (sessions.remove(entry.getKey(), held)) {
					held.session().stop();
					log.warn("ARI connection {}: this instance ({}) lost its lease (token {}) to another instance; stopped",
							entry.getKey(), holder, held.lease().token());
				}
			}
			catch (RuntimeException ex) {
				log.warn("ARI connection {}: renewing its lease failed: {}", entry.getKey(), ex.toString());
			}
		}
	}

	/**
	 * One round of keeping: renews, takes and lets go. A round that cannot reach the database changes nothing; the
	 * sessions whose leases it could not renew stop acting when their lease runs out ({@link AriSession#lapsed}).
	 */
	synchronized void keep(boolean starting) {
		if (stopped) {
			return;
		}
		try {
			var enabled = connections.enabledConnections(AsteriskAdapter.KIND);
			var known = leases.all().stream().collect(Collectors.toMap(LeaseState::connection, lease -> lease));
			var wanted = new HashSet<ProviderConnectionId>();
			var nobodys = new HashSet<ProviderConnectionId>();
			for (var connection : enabled) {
				var id = connection.id();
				wanted.add(id);
				var lease = known.get(id);
				if (sessions.containsKey(id) || starting) {
					keepUp(connection, false);
				}
				else if (lease == null) {
					if (unclaimed.contains(id)) {
						keepUp(connection, false);
					}
					else {
						nobodys.add(id);
					}
				}
				else if (lease.expired() || lease.holder().equals(holder)) {
					keepUp(connection, false);
				}
			}
			unclaimed = nobodys;
			for (var id : List.copyOf(sessions.keySet())) {
				if (!wanted.contains(id)) {
					close(id);
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Keeping the ARI connections' leases failed, trying again in {} ms: {}",
					settings.lease().toMillis() / 3, ex.toString());
		}
	}

	/** Renews or takes one connection; a failure (the database, the PBX) stays with it and the round goes on. */
	private void keepUp(ProviderConnection connection, boolean takeBack) {
		try {
			follow(connection, takeBack);
		}
		catch (RuntimeException ex) {
			log.warn("ARI connection {}: keeping its lease failed: {}", connection.id(), ex.toString());
		}
	}

	/**
	 * Opens, replaces or closes the connection's session to match its settings, if its lease is held here or free; a
	 * session another program took over is taken back (an admin changed or tested the connection on purpose).
	 */
	synchronized void changed(ProviderConnection connection) {
		if (connection.enabled()) {
			keepUp(connection, true);
		}
		else {
			close(connection.id());
		}
	}

	private void follow(ProviderConnection connection, boolean takeBack) {
		var held = sessions.get(connection.id());
		if (held == null) {
			var started = System.nanoTime();
			leases.acquire(connection, holder, settings.lease()).ifPresent(lease -> open(connection, lease, started));
			return;
		}
		// Renewed by renewHeld; here only the connection's settings are followed.
		var session = held.session();
		if (!session.connection().equals(connection) || takeBack && session.state() == AriSession.State.REPLACED) {
			open(connection, held.lease(), session.renewedAt(settings.lease()));
		}
	}

	synchronized void close(ProviderConnectionId id) {
		var held = sessions.remove(id);
		if (held != null) {
			held.session().stop();
			release(held.lease());
		}
	}

	Optional<AriSession> find(ProviderConnectionId id) {
		return Optional.ofNullable(sessions.get(id)).map(Held::session);
	}

	List<AriSession> all() {
		return sessions.values().stream().map(Held::session).toList();
	}

	/** Every connection's lease, held here or elsewhere, for health. */
	List<LeaseState> leases() {
		return leases.all();
	}

	String holder() {
		return holder;
	}

	/** The other instance whose running lease covers the connection, if one does. */
	@Nullable String heldElsewhere(ProviderConnectionId id) {
		return leases.all()
			.stream()
			.filter(lease -> lease.connection().equals(id) && !lease.expired() && !lease.holder().equals(holder))
			.map(LeaseState::holder)
			.findFirst()
			.orElse(null);
	}

	private void open(ProviderConnection connection, Lease lease, long renewedAt) {
		var fence = lease.fence();
		var session = new AriSession(connection, settings, targets, check, scheduler, flow,
				work -> context.runFenced(connection.tenant(), fence, work));
		session.held(renewedAt, settings.lease());
		var previous = sessions.put(connection.id(), new Held(session, lease));
		if (previous != null) {
			previous.session().stop();
		}
		session.start();
	}

	private void release(Lease lease) {
		try {
			leases.release(lease);
		}
		catch (RuntimeException ex) {
			log.warn("ARI connection {}: its lease could not be released ({}); another instance takes it when it "
					+ "expires", lease.connection(), ex.toString());
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		new ExecutorServiceMetrics(scheduler, "voxdesk.asterisk.supervisor", List.of()).bindTo(registry);
		Gauge.builder("voxdesk.asterisk.connections.held", sessions, Map::size)
			.description("Asterisk connections whose lease this instance holds and whose ARI session it runs")
			.register(registry);
	}

	@Override
	public synchronized void destroy() {
		stopped = true;
		renewer.shutdownNow();
		keeper.shutdownNow();
		// Released rather than left to expire: on a rolling restart the next instance takes over at once.
		sessions.values().forEach(held -> {
			held.session().stop();
			release(held.lease());
		});
		sessions.clear();
		scheduler.shutdownNow();
	}
}

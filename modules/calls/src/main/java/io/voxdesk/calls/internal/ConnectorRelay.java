package io.voxdesk.calls.internal;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderOutcomeUnknownException;
import io.voxdesk.calls.spi.ConnectionServedElsewhere;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.InstanceName;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands a request for a connection this instance does not serve to the instance that does, through PostgreSQL
 * ({@code connector_commands}): the requester queues the command and is woken by a notification when it is answered;
 * the instance holding the connection's lease is woken by another, claims the command once, runs it on its connector
 * and writes the answer. A command survives its holder's death while it waits (the next holder claims it); one
 * already claimed is never run again, so a request is placed at most once, and a requester that hears nothing by
 * its deadline reports that, never an outcome it did not see.
 */
@Component
class ConnectorRelay implements DisposableBean, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(ConnectorRelay.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * How often a waiting requester reads its command in case a notification was missed (a reconnect): rarely, as
	 * under load hundreds of requesters may wait at once.
	 */
	private static final Duration RECHECK = Duration.ofSeconds(2);

	/** How many claimed commands run at once on this instance. */
	private static final int RUNNERS = 16;

	private final JdbcClient jdbc;

	private final TenantContext context;

	private final Connectors connectors;

	private final ProviderConnectionWorkflow connections;

	private final CallsSettings settings;

	private final String instance;

	private final TransactionTemplate ownTransaction;

	private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

	private final ExecutorService claims = Executors.newSingleThreadExecutor(
			Thread.ofPlatform().name("relay-claims").daemon().factory());

	private final AtomicInteger running = new AtomicInteger();

	private final ExecutorService runs = Executors.newFixedThreadPool(RUNNERS,
			Thread.ofPlatform().name("relay-command-", 0).daemon().factory());

	private final AtomicBoolean claimQueued = new AtomicBoolean();

	private volatile @Nullable Timer relayed;

	private volatile @Nullable Counter unanswered;

	ConnectorRelay(JdbcClient jdbc, TenantContext context, Connectors connectors,
			ProviderConnectionWorkflow connections, CallsSettings settings, InstanceName instance,
			PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.context = context;
		this.connectors = connectors;
		this.connections = connections;
		this.settings = settings;
		this.instance = instance.value();
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		relayed = Timer.builder("voxdesk.calls.relayed")
			.description("Requests handed to the instance that serves their connection, until answered")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
		unanswered = Counter.builder("voxdesk.calls.relayed.unanswered")
			.description("Relayed requests that no instance answered by their deadline")
			.register(registry);
	}

	/**
	 * Sends a request to the instance serving the connection and waits for its answer, for at most
	 * {@code timeout} ({@code voxdesk.calls.relay-timeout} when null).
	 *
	 * @return what the connector there returned.
	 * @throws ProviderException as the connector there threw it, or when nobody answered in time
	 *     ({@link ProviderOutcomeUnknownException} when an instance took the request but did not answer).
	 */
	@Nullable String send(ProviderConnection connection, RelayedConnector.Operation operation, JsonNode arguments,
			ConnectionServedElsewhere refused, @Nullable Duration timeout) {
		var wait = timeout == null ? settings.relayTimeout() : timeout;
		var id = UUID.randomUUID();
		var answered = new CompletableFuture<Void>();
		waiting.put(id, answered);
		var started = System.nanoTime();
		var tenant = connection.tenant();
		var answeredHere = false;
		try {
			context.runAs(tenant, () -> ownTransaction.executeWithoutResult(status -> {
				// Not waited to disk: a command lost with the database is withdrawn by its deadline, and the claim,
				// which is waited for, writes the command to disk before anyone can act on it.
				jdbc.sql("set local synchronous_commit = off").update();
				jdbc.sql("""
					with queued as (
					  insert into connector_commands (id, tenant_id, connection_id, operation, arguments, requested_by,
					    requested_at, deadline)
					  values (:id, :tenant, :connection, :operation, cast(:arguments as jsonb), :instance, now(),
					    now() + :millis * interval '1 millisecond')
					  returning connection_id)
					select pg_notify('voxdesk_connector_commands', connection_id::text) from queued""")
					.param("id", id)
					.param("tenant", tenant.value())
					.param("connection", connection.id().value())
					.param("operation", operation.name())
					.param("arguments", arguments.toString())
					.param("instance", instance)
					.param("millis", wait.toMillis())
					.query()
					.listOfRows();
			}));
			var deadline = started + wait.toNanos();
			while (true) {
				try {
					answered.get(Math.max(0, Math.min(deadline - System.nanoTime(), RECHECK.toNanos())),
							TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException ex) {
					// Read all the same: the notification may have been lost while the listener reconnected.
				}
				var answer = context.callAs(tenant, () -> answerOf(id));
				if (answer != null) {
					answeredHere = true;
					var timer = relayed;
					if (timer != null) {
						timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
					}
					return answer.value(connection.id());
				}
				if (deadline - System.nanoTime() <= 0) {
					var counter = unanswered;
					if (counter != null) {
						counter.increment();
					}
					var late = context.callAs(tenant, () -> giveUp(id, connection.id(), refused, wait));
					answeredHere = true;
					return late.value(connection.id());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			try {
				context.callAs(tenant, () -> giveUp(id, connection.id(), refused, wait));
			}
			catch (ProviderException ignored) {
				// Withdrawn or unknown: either way the caller hears that it was interrupted.
			}
			throw new ProviderException("Interrupted while waiting for the instance that serves the connection");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			waiting.remove(id);
			if (!answeredHere) {
				forget(tenant, id);
			}
		}
	}

	/** The command's answer once there is one, deleting the command in the same statement. */
	private @Nullable Answer answerOf(UUID id) {
		return jdbc.sql("""
				delete from connector_commands where id = :id and done_at is not null
				returning result, failure, taken_by""")
			.param("id", id)
			.query((rs, row) -> new Answer(rs.getString("result"), rs.getString("failure"), rs.getString("taken_by")))
			.optional()
			.orElse(null);
	}

	/**
	 * The requester stops waiting: a command nobody took is withdrawn, in one statement that a claim cannot overtake
	 * (it will never run); the answer of one answered at the last moment is returned; one taken and not answered has
	 * an unknown end.
	 *
	 * @throws ProviderException when the command was withdrawn, {@link ProviderOutcomeUnknownException} when its end
	 *     is unknown.
	 */
	private Answer giveUp(UUID id, ProviderConnectionId connection, ConnectionServedElsewhere refused, Duration wait) {
		var withdrawn = jdbc.sql("""
				update connector_commands set done_at = now(), failure = '{"kind":"withdrawn"}'
				where id = :id and taken_at is null and done_at is null""").param("id", id).update() == 1;
		if (withdrawn) {
			log.warn("Connection {}: no instance took a relayed request within {} ms; it was withdrawn", connection,
					wait.toMillis());
			throw new ProviderException(refused.getMessage() + " (no instance serving it answered within "
					+ seconds(wait) + ")");
		}
		var answer = answerOf(id);
		if (answer != null) {
			return answer;
		}
		var taker = jdbc.sql("select taken_by from connector_commands where id = :id")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElse("another instance");
		log.warn("Connection {}: instance {} took a relayed request but did not answer within {} ms", connection,
				taker, wait.toMillis());
		throw new ProviderOutcomeUnknownException("The Voxdesk instance that serves this provider connection ("
				+ taker + ") took the request but did not answer within " + seconds(wait)
				+ ", so whether the provider did it is unknown; check the call before trying again.");
	}

	private static String seconds(Duration wait) {
		return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
	}

	/** Deletes an answered or withdrawn command; one taken and not answered stays until its taker answers or the purge. */
	private void forget(TenantId tenant, UUID id) {
		try {
			context.runAs(tenant, () -> jdbc.sql("delete from connector_commands where id = :id and done_at is not null")
				.param("id", id)
				.update());
		}
		catch (RuntimeException ex) {
			log.debug("Relayed command {} is left for the purge: {}", id, ex.toString());
		}
	}

	/** A reply was notified: wakes its requester, if it waits on this instance. */
	void answered(String payload) {
		try {
			var future = waiting.get(UUID.fromString(payload));
			if (future != null) {
				future.complete(null);
			}
		}
		catch (IllegalArgumentException ex) {
			log.debug("Ignored a reply notification that names no command: {}", payload);
		}
	}

	/** Commands may wait for this instance: claims them soon, once for any number of wake-ups meanwhile. */
	void claimSoon() {
		if (claimQueued.compareAndSet(false, true)) {
			try {
				claims.execute(() -> {
					claimQueued.set(false);
					claim();
				});
			}
			catch (RuntimeException ex) {
				claimQueued.set(false);
			}
		}
	}

	/**
	 * Takes what waits for this instance, no more than it can start now: a command taken stays with this instance,
	 * so one taken to wait in a queue here could no longer go anywhere else.
	 */
	private void claim() {
		var free = RUNNERS - running.get();
		if (free <= 0) {
			return;
		}
		try {
			var claimed = jdbc.sql("select * from claim_connector_commands(:instance, :limit)")
				.param("instance", instance)
				.param("limit", free)
				.query((rs, row) -> new Claimed(rs.getObject("id", UUID.class), TenantId.of(rs.getString("tenant_id")),
						new ProviderConnectionId(rs.getObject("connection_id", UUID.class)),
						System.nanoTime() + rs.getLong("millis_left") * 1_000_000))
				.list();
			for (var command : claimed) {
				running.incrementAndGet();
				runs.execute(() -> {
					try {
						context.runAs(command.tenant(), () -> run(command));
					}
					finally {
						running.decrementAndGet();
						// Others may have waited for a free runner.
						claimSoon();
					}
				});
			}
		}
		catch (RuntimeException ex) {
			log.warn("Claiming relayed requests failed; trying again at the next wake-up: {}", ex.toString());
		}
	}

	/** Runs a claimed command in its tenant's scope and writes the answer. */
	private void run(Claimed command) {
		String result = null;
		String failure = null;
		String operation = "command";
		try {
			var stored = jdbc.sql("select operation, arguments::text as arguments from connector_commands where id = :id")
				.param("id", command.id())
				.query((rs, row) -> new Stored(RelayedConnector.Operation.valueOf(rs.getString("operation")),
						rs.getString("arguments")))
				.optional();
			if (stored.isEmpty() || System.nanoTime() - command.deadline() >= 0) {
				// Its requester stopped waiting: carrying it out now would surprise everyone.
				failure = failure("expired", null, null);
			}
			else {
				operation = stored.get().operation().name();
				var connection = connections.connection(command.connection())
					.orElseThrow(() -> new ProviderException("The provider connection has been deleted."));
				var connector = connectors.local(connection.kind())
					.orElseThrow(() -> new ProviderException("No " + connection.kind().code() + " connector is installed"));
				result = stored.get().operation().run(connector, connection, JSON.readTree(stored.get().arguments()));
			}
		}
		catch (ConnectionServedElsewhere ex) {
			failure = failure("elsewhere", null, ex.getMessage());
		}
		catch (ProviderOutcomeUnknownException ex) {
			failure = failure("unknown", null, ex.getMessage());
		}
		catch (ProviderException ex) {
			failure = failure("provider", null, ex.getMessage());
		}
		catch (CallNotPossibleException ex) {
			failure = failure("not-possible", ex.getBody().getTitle(), ex.getBody().getDetail());
		}
		catch (RuntimeException ex) {
			// The type only: a parse error would quote the arguments, which hold a customer's number.
			log.error("Relayed {} {} on connection {} failed: {}", operation, command.id(), command.connection(),
					ex.getClass().getName());
			failure = failure("internal", null, null);
		}
		var finalResult = result;
		var finalFailure = failure;
		try {
			ownTransaction.executeWithoutResult(status -> {
				// Not waited to disk either: an answer lost with the database leaves its requester reporting it unknown.
				jdbc.sql("set local synchronous_commit = off").update();
				jdbc.sql("""
						with done as (
						  update connector_commands set done_at = now(), result = :result, failure = cast(:failure as jsonb)
						  where id = :id
						  returning id)
						select pg_notify('voxdesk_connector_replies', id::text) from done""")
					.param("id", command.id())
					.param("result", finalResult)
					.param("failure", finalFailure)
					.query()
					.listOfRows();
			});
		}
		catch (RuntimeException ex) {
			log.warn("The answer to relayed {} {} on connection {} could not be written: {}", operation, command.id(),
					command.connection(), ex.toString());
		}
	}

	private static String failure(String kind, @Nullable String title, @Nullable String detail) {
		var node = JSON.createObjectNode().put("kind", kind);
		if (title != null) {
			node.put("title", title);
		}
		if (detail != null) {
			node.put("detail", detail);
		}
		return node.toString();
	}

	/** Drops what requesters that died left behind. */
	void purge() {
		try {
			var purged = jdbc.sql("select purge_connector_commands()").query(Integer.class).single();
			if (purged > 0) {
				log.info("Purged {} relayed requests left by requesters that stopped waiting", purged);
			}
		}
		catch (RuntimeException ex) {
			log.debug("Purging relayed requests failed: {}", ex.toString());
		}
	}

	@Override
	public void destroy() {
		claims.shutdownNow();
		runs.shutdownNow();
	}

	/** A command this instance took: ids only, read in its tenant's scope when run; deadline by this JVM's clock. */
	private record Claimed(UUID id, TenantId tenant, ProviderConnectionId connection, long deadline) {
	}

	private record Stored(RelayedConnector.Operation operation, String arguments) {
	}

	/** A command's answer as the serving instance wrote it. */
	private record Answer(@Nullable String result, @Nullable String failure, @Nullable String takenBy) {

		@Nullable String value(ProviderConnectionId connection) {
			if (failure == null) {
				return result;
			}
			var node = JSON.readTree(failure);
			var detail = node.path("detail").asString("");
			switch (node.path("kind").asString("")) {
				case "not-possible" -> throw new CallNotPossibleException(node.path("title").asString("Not possible"),
						detail);
				case "provider" -> throw new ProviderException(detail);
				case "unknown" -> throw new ProviderOutcomeUnknownException(detail);
				case "expired", "withdrawn" -> throw new ProviderException("The request was not carried out: its "
						+ "requester stopped waiting for it.");
				case "elsewhere" -> throw new ConnectionServedElsewhere(connection, detail);
				default -> throw new ProviderException("The Voxdesk instance that serves this provider connection ("
						+ takenBy + ") failed to carry out the request because of an internal error.");
			}
		}
	}
}

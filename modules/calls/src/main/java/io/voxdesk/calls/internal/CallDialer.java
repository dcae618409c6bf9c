package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderOutcomeUnknownException;
import io.voxdesk.calls.internal.ProviderConnectionWorkflow.EnabledConnection;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Asks the provider to place each call once its record is committed, with what the click read in its transaction.
 * It runs on virtual threads of its own and outside a transaction on purpose: providers can be slow, and a click
 * relayed to the instance holding the connection waits for that instance's answer; on the shared task pool such
 * waits would hold up the event listeners. A refusal or an unreachable provider ends the call as failed with the
 * reason; an answer that was lost leaves it open.
 */
@Component
class CallDialer implements DisposableBean {

	/** Dials in progress at once; most of them wait (for the provider, or for the instance a click is relayed to). */
	static final int CONCURRENT_DIALS = 256;

	/**
	 * Taken on the dial's own virtual thread, never by the caller: {@link #dial} runs in the click's after-commit,
	 * while the click still holds its pooled connection, and a caller made to wait there for a dial to finish (as a
	 * concurrency-limited executor does) would hold that connection from the dials that need one to finish: at
	 * 100 clicks/s the pool deadlocked until its timeouts failed the clicks.
	 */
	private final Semaphore inProgress = new Semaphore(CONCURRENT_DIALS, true);

	private volatile boolean stopping;

	/**
	 * Dials waiting for the disk at once, each holding a pooled connection while it does: a burst of clicks must not
	 * take the whole pool from the clicks themselves and the event pipeline (as many as the task pool had before).
	 */
	private final Semaphore flushes = new Semaphore(8);

	private static final Logger log = LoggerFactory.getLogger(CallDialer.class);

	private final CallControl control;

	private final CallWorkflow workflow;

	private final ProviderConnectionWorkflow connections;

	private final TenantContext context;

	private final CallsSettings settings;

	private final DurableCommits durable;

	private final Clock clock;

	private final SimpleAsyncTaskExecutor dials = new SimpleAsyncTaskExecutor("dial-");

	CallDialer(CallControl control, CallWorkflow workflow, ProviderConnectionWorkflow connections,
			TenantContext context, CallsSettings settings, DurableCommits durable, Optional<Clock> clock) {
		this.control = control;
		this.workflow = workflow;
		this.connections = connections;
		this.context = context;
		this.settings = settings;
		this.durable = durable;
		this.clock = clock.orElse(Clock.systemUTC());
		dials.setVirtualThreads(true);
	}

	/** Places the call of a committed click-to-call; called after the click's commit, returns at once. */
	void dial(TenantId tenant, EnabledConnection connection, OutboundCall call, Instant requestedAt) {
		dials.execute(() -> {
			// In click order, and no longer than a click may wait: after that the call fails as too late.
			var waitFor = Duration.between(clock.instant(), requestedAt.plus(settings.dialWithin()));
			boolean slot;
			try {
				slot = !stopping && inProgress.tryAcquire(Math.max(0, waitFor.toMillis()), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				// Stopping: the sweeper settles a record this instance never placed.
				Thread.currentThread().interrupt();
				return;
			}
			if (stopping) {
				if (slot) {
					inProgress.release();
				}
				return;
			}
			try {
				dialNow(tenant, connection, call, requestedAt);
			}
			finally {
				if (slot) {
					inProgress.release();
				}
			}
		});
	}

	/** Places the call on this thread. */
	void dialNow(TenantId tenant, EnabledConnection connection, OutboundCall call, Instant requestedAt) {
		context.runAs(tenant, () -> place(connection, call, requestedAt));
	}

	@Override
	public void destroy() {
		// Dials still waiting for a slot must not ring agents while the application shuts down.
		stopping = true;
		dials.close();
	}

	private void place(EnabledConnection enabled, OutboundCall call, Instant requestedAt) {
		var id = call.call();
		if (requestedAt.plus(settings.dialWithin()).isBefore(clock.instant())) {
			// Ringing the agent now, long after the click, would surprise everyone.
			failed(id, "The call could not be placed within " + settings.dialWithin().toSeconds()
					+ " seconds of the click; please call again.");
			return;
		}
		ProviderConnection connection;
		TelephonyConnector connector;
		var asked = false;
		try {
			// The click committed without waiting for the disk: nothing rings before its record is durable.
			flushes.acquireUninterruptibly();
			try {
				durable.awaitEarlierCommits();
			}
			finally {
				flushes.release();
			}
			connection = connections.unsealed(enabled);
			connector = control.connector(connection);
			asked = true;
			connector.originate(connection, call);
		}
		catch (ProviderOutcomeUnknownException ex) {
			// The PBX may be ringing the agent: the record stays open until the PBX's events or the sweeper settle it.
			log.warn("Call {}: whether it was placed is unknown, its record waits for the PBX: {}", id, ex.getMessage());
			return;
		}
		catch (ProviderException ex) {
			log.warn("Call {} could not be placed: {}", id, ex.getMessage());
			failed(id, ex.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			if (asked) {
				// Anything else once the request was on its way (a relayed one, whose answer is read from the
				// database, may have been placed by the holder): whether the PBX has the call is unknown, so the record
				// waits for the PBX's events or the sweeper rather than saying it failed.
				log.error("Call {}: placing it failed after the request was sent; its record waits for the PBX", id, ex);
			}
			else if (ex instanceof DataAccessResourceFailureException || ex instanceof CannotCreateTransactionException) {
				// Before anything was asked of the provider: the call was not placed.
				log.warn("Call {} could not be placed, the database could not be reached: {}", id, ex.getMessage());
				failed(id, "The call could not be placed: Voxdesk's database was out of reach; please call again.");
			}
			else {
				log.error("Call {} could not be placed", id, ex);
				failed(id, "The call could not be placed because of an internal error.");
			}
			return;
		}
		log.info("Call {} handed to {}", id, connection.kind().code());
		try {
			if (workflow.hangUpPending(id)) {
				// The agent hung up while the PBX did not have the call yet, so that hangup found nothing to end.
				log.info("Call {} was hung up before it reached {}; ending it there", id, connection.kind().code());
				connector.hangUp(connection, id);
			}
		}
		catch (RuntimeException ex) {
			// The PBX has the call: its events settle the record, which must not say the call failed.
			log.warn("Call {}: a hangup requested before it was placed could not be carried out: {}", id, ex.toString());
		}
	}

	/** Records the failure; if even that fails, the sweeper settles the record, which never stays open for good. */
	private void failed(CallId id, String reason) {
		try {
			workflow.fail(id, reason);
		}
		catch (RuntimeException ex) {
			log.warn("Call {}: its failure could not be recorded now ({}); the sweeper will settle it", id, ex.toString());
		}
	}
}

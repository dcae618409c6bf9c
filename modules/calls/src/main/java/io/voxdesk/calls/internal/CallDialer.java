package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderOutcomeUnknownException;
import io.voxdesk.calls.internal.ProviderConnectionWorkflow.EnabledConnection;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.stereotype.Component;

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
	private static final int CONCURRENT_DIALS = 256;

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
		dials.setConcurrencyLimit(CONCURRENT_DIALS);
	}

	/** Places the call of a committed click-to-call; called after the click's commit, returns at once. */
	void dial(TenantId tenant, EnabledConnection connection, OutboundCall call, Instant requestedAt) {
		dials.execute(() -> dialNow(tenant, connection, call, requestedAt));
	}

	/** Places the call on this thread. */
	void dialNow(TenantId tenant, EnabledConnection connection, OutboundCall call, Instant requestedAt) {
		context.runAs(tenant, () -> place(connection, call, requestedAt));
	}

	@Override
	public void destroy() {
		dials.close();
	}

	private void place(EnabledConnection enabled, OutboundCall call, Instant requestedAt) {
		var id = call.call();
		if (requestedAt.plus(settings.dialWithin()).isBefore(clock.instant())) {
			// Ringing the agent now, long after the click, would surprise everyone.
			workflow.fail(id, "The call could not be placed within " + settings.dialWithin().toSeconds()
					+ " seconds of the click; please call again.");
			return;
		}
		try {
			// The click committed without waiting for the disk: nothing rings before its record is durable.
			flushes.acquireUninterruptibly();
			try {
				durable.awaitEarlierCommits();
			}
			finally {
				flushes.release();
			}
			var connection = connections.unsealed(enabled);
			var connector = control.connector(connection);
			connector.originate(connection, call);
			log.info("Call {} handed to {}", id, connection.kind().code());
			if (workflow.hangUpPending(id)) {
				// The agent hung up while the PBX did not have the call yet, so that hangup found nothing to end.
				log.info("Call {} was hung up before it reached {}; ending it there", id, connection.kind().code());
				connector.hangUp(connection, id);
			}
		}
		catch (ProviderOutcomeUnknownException ex) {
			// The PBX may be ringing the agent: the record stays open until the PBX's events or the sweeper settle it.
			log.warn("Call {}: whether it was placed is unknown, its record waits for the PBX: {}", id, ex.getMessage());
		}
		catch (ProviderException ex) {
			log.warn("Call {} could not be placed: {}", id, ex.getMessage());
			workflow.fail(id, ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.error("Call {} could not be placed", id, ex);
			workflow.fail(id, "The call could not be placed because of an internal error.");
		}
	}
}

package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderOutcomeUnknownException;
import io.voxdesk.calls.internal.ProviderConnectionWorkflow.EnabledConnection;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/**
 * Asks the provider to place each call once its record is committed, with what the click read in its transaction.
 * It runs on the task pool and outside a transaction on purpose (providers can be slow); a refusal or an
 * unreachable provider ends the call as failed with the reason.
 */
@Component
class CallDialer {

	private static final Logger log = LoggerFactory.getLogger(CallDialer.class);

	private final CallControl control;

	private final CallWorkflow workflow;

	private final ProviderConnectionWorkflow connections;

	private final TenantContext context;

	private final CallsSettings settings;

	private final DurableCommits durable;

	private final Clock clock;

	CallDialer(CallControl control, CallWorkflow workflow, ProviderConnectionWorkflow connections,
			TenantContext context, CallsSettings settings, DurableCommits durable, Optional<Clock> clock) {
		this.control = control;
		this.workflow = workflow;
		this.connections = connections;
		this.context = context;
		this.settings = settings;
		this.durable = durable;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** Places the call of a committed click-to-call; called after the click's commit, runs on the task pool. */
	@Async
	void dial(TenantId tenant, EnabledConnection connection, OutboundCall call, Instant requestedAt) {
		context.runAs(tenant, () -> place(connection, call, requestedAt));
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
			durable.awaitEarlierCommits();
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

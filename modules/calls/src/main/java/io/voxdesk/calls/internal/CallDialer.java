package io.voxdesk.calls.internal;

import io.voxdesk.calls.CallStarted;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.OutboundCall;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tickets.Viewer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Asks the provider to place each call once its record is committed. It runs outside a transaction on purpose
 * (providers can be slow); a refusal or an unreachable provider ends the call as failed with the reason.
 */
@Component
class CallDialer {

	private static final Logger log = LoggerFactory.getLogger(CallDialer.class);

	private final CallControl control;

	private final CallWorkflow workflow;

	private final TenantContext context;

	private final CallsSettings settings;

	CallDialer(CallControl control, CallWorkflow workflow, TenantContext context, CallsSettings settings) {
		this.control = control;
		this.workflow = workflow;
		this.context = context;
		this.settings = settings;
	}

	@Async
	@TransactionalEventListener
	void on(CallStarted event) {
		context.runAs(event.tenantId(), () -> dial(event));
	}

	private void dial(CallStarted event) {
		var id = event.callId();
		var call = workflow.find(id, Viewer.SYSTEM).orElse(null);
		if (call == null || call.status().isFinal()) {
			return;
		}
		if (call.requestedAt().plus(settings.dialWithin()).isBefore(java.time.Instant.now())) {
			// Republished after a restart: ringing the agent now, long after the click, would surprise everyone.
			workflow.fail(id, "Voxdesk restarted before the call could be placed; please call again.");
			return;
		}
		try {
			var connection = control.connectionOf(id);
			if (!connection.enabled()) {
				workflow.fail(id, "The provider connection '" + connection.name() + "' was disabled before the call was placed.");
				return;
			}
			control.connector(connection)
				.originate(connection, new OutboundCall(id, call.agentExtension(), call.number(), event.agentName(),
						workflow.recordingWanted(id)));
			log.info("Call {} handed to {}", id, connection.kind().code());
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

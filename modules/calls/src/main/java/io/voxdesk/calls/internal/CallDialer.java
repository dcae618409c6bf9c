package io.voxdesk.calls.internal;

import java.util.Objects;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallStarted;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.OutboundCall;
import io.voxdesk.calls.ProviderConnection;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tickets.Viewer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

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

	private final TransactionTemplate reading;

	CallDialer(CallControl control, CallWorkflow workflow, TenantContext context, CallsSettings settings,
			PlatformTransactionManager transactions) {
		this.control = control;
		this.workflow = workflow;
		this.context = context;
		this.settings = settings;
		this.reading = new TransactionTemplate(transactions);
		this.reading.setReadOnly(true);
	}

	@Async
	@TransactionalEventListener
	void on(CallStarted event) {
		context.runAs(event.tenantId(), () -> dial(event));
	}

	private void dial(CallStarted event) {
		var id = event.callId();
		// One read-only transaction for everything read before dialing: the reads join it, and the call record is
		// loaded once (the persistence context hands it to the later reads). Writes and the provider stay outside.
		var dialing = reading.execute(status -> read(id, status));
		if (dialing == null) {
			return;
		}
		var call = dialing.call();
		if (dialing.late()) {
			// Republished after a restart: ringing the agent now, long after the click, would surprise everyone.
			workflow.fail(id, "Voxdesk restarted before the call could be placed; please call again.");
			return;
		}
		try {
			var connection = dialing.connection();
			if (!connection.enabled()) {
				workflow.fail(id, "The provider connection '" + connection.name() + "' was disabled before the call was placed.");
				return;
			}
			control.connector(connection)
				.originate(connection, new OutboundCall(id, call.agentExtension(), call.number(), event.agentName(),
						dialing.recordingWanted()));
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

	/** The call if it is still to be placed, with its connection unless it is too late to place it. */
	private @Nullable Dialing read(CallId id, TransactionStatus status) {
		var call = workflow.find(id, Viewer.SYSTEM).orElse(null);
		if (call == null || call.status().isFinal()) {
			return null;
		}
		if (call.requestedAt().plus(settings.dialWithin()).isBefore(java.time.Instant.now())) {
			return new Dialing(call, true, null, null, false);
		}
		try {
			return new Dialing(call, false, control.connectionOf(id), null, workflow.recordingWanted(id));
		}
		catch (RuntimeException ex) {
			// Handled as a failure to place the call, outside this transaction; only a read is undone.
			status.setRollbackOnly();
			return new Dialing(call, false, null, ex, false);
		}
	}

	/**
	 * What the dialer read about a call.
	 *
	 * @param late whether the call waited too long to be placed now.
	 * @param failure why its connection could not be read, thrown again where the dialer handles failures.
	 */
	private record Dialing(CallDetails call, boolean late, @Nullable ProviderConnection found,
			@Nullable RuntimeException failure, boolean recordingWanted) {

		ProviderConnection connection() {
			if (failure != null) {
				throw failure;
			}
			return Objects.requireNonNull(found);
		}
	}
}

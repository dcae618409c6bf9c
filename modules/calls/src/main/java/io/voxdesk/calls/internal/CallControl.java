package io.voxdesk.calls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.RecordingStore;
import io.voxdesk.calls.TransferMode;
import io.voxdesk.calls.spi.Capability;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;

import org.springframework.stereotype.Service;

/**
 * Controls calls through their provider. Network calls to providers run outside any database transaction, so a
 * slow provider never holds row locks or connections.
 */
@Service
class CallControl {

	private final CallWorkflow workflow;

	private final ProviderConnectionWorkflow connections;

	private final Connectors connectors;

	private final RecordingStore store;

	private final TenantContext context;

	CallControl(CallWorkflow workflow, ProviderConnectionWorkflow connections, Connectors connectors,
			RecordingStore store, TenantContext context) {
		this.workflow = workflow;
		this.connections = connections;
		this.connectors = connectors;
		this.store = store;
		this.context = context;
	}

	public CallDetails hangUp(CallId id, CurrentUser viewer) {
		var call = workflow.requestHangUp(id, viewer);
		var connection = connectionOf(id);
		connector(connection).hangUp(connection, id);
		return call;
	}

	/** Puts the customer on hold (music on hold where the provider plays it) and counts the hold time. */
	public CallDetails hold(CallId id, CurrentUser viewer) {
		workflow.controllable(id, viewer, true);
		var connection = connectionOf(id);
		capable(connection, Capability.HOLD, "hold calls").hold(connection, id);
		workflow.apply(fact(id, ProviderCallEvent.Type.HELD));
		return workflow.find(id, viewer).orElseThrow();
	}

	public CallDetails resume(CallId id, CurrentUser viewer) {
		workflow.controllable(id, viewer, true);
		var connection = connectionOf(id);
		capable(connection, Capability.HOLD, "resume held calls").resume(connection, id);
		workflow.apply(fact(id, ProviderCallEvent.Type.RESUMED));
		return workflow.find(id, viewer).orElseThrow();
	}

	public CallDetails sendDtmf(CallId id, String digits, CurrentUser viewer) {
		workflow.controllable(id, viewer, true);
		var connection = connectionOf(id);
		capable(connection, Capability.DTMF, "send DTMF digits").sendDtmf(connection, id, digits);
		return workflow.find(id, viewer).orElseThrow();
	}

	/**
	 * Starts a transfer to another extension or number: the record shows it ringing, and what the provider then
	 * reports about the target settles it. A provider that refuses to ring the target leaves the transfer failed,
	 * with its reason.
	 */
	public CallDetails transfer(CallId id, TransferMode mode, String destination, CurrentUser viewer) {
		workflow.controllable(id, viewer, true);
		var connection = connectionOf(id);
		var connector = capable(connection,
				mode == TransferMode.ATTENDED ? Capability.ATTENDED_TRANSFER : Capability.BLIND_TRANSFER, "transfer calls");
		var request = workflow.startTransfer(id, mode, destination, viewer);
		try {
			connector.transfer(connection, request);
		}
		catch (RuntimeException ex) {
			workflow.transferRefused(id, request.attempt(), String.valueOf(ex.getMessage()));
			throw ex;
		}
		return workflow.find(id, viewer).orElseThrow();
	}

	/** Completes an attended transfer whose target answered: the customer goes to the target, the agent is released. */
	public CallDetails completeTransfer(CallId id, CurrentUser viewer) {
		var request = workflow.transferToComplete(id, viewer);
		var connection = connectionOf(id);
		connector(connection).completeTransfer(connection, request);
		return workflow.find(id, viewer).orElseThrow();
	}

	/** Cancels the transfer in progress: its target is hung up and the customer is back with the agent. */
	public CallDetails cancelTransfer(CallId id, CurrentUser viewer) {
		var request = workflow.requestTransferCancel(id, viewer);
		var connection = connectionOf(id);
		connector(connection).cancelTransfer(connection, request);
		return workflow.find(id, viewer).orElseThrow();
	}

	private static ProviderCallEvent fact(CallId id, ProviderCallEvent.Type type) {
		var now = Instant.now();
		return new ProviderCallEvent(id, "voxdesk:" + type.name().toLowerCase() + ":" + now.toEpochMilli(), type,
				CallLeg.CUSTOMER, now, null, null, null);
	}

	/** Stores the file first, outside any transaction, then records the fact on the call. */
	public void attachRecording(CallId id, String format, InputStream audio) throws IOException {
		if (!format.equals("wav") && !format.equals("mp3")) {
			throw new IllegalArgumentException("Recordings are wav or mp3, not " + format);
		}
		var key = context.currentTenant().value() + "/" + id + "." + format;
		store.save(key, audio);
		workflow.apply(new ProviderCallEvent(id, "recording:" + key, ProviderCallEvent.Type.RECORDING_AVAILABLE,
				CallLeg.CUSTOMER, Instant.now(), null, null, key));
	}

	public Optional<CallManagement.Recording> recording(CallId id, CurrentUser viewer, boolean playback) {
		var key = workflow.recordingKey(id, viewer).orElse(null);
		if (key == null) {
			return Optional.empty();
		}
		var audio = store.open(key);
		if (audio.isPresent() && playback) {
			workflow.recordingPlayed(id, "all bytes");
		}
		return audio.map(resource -> new CallManagement.Recording(resource, key.endsWith(".mp3") ? "audio/mpeg" : "audio/wav"));
	}

	/** Audits that (part of) a call's recording was sent; {@code served} says what, e.g. a byte range. */
	public void recordingServed(CallId id, String served) {
		workflow.recordingPlayed(id, served);
	}

	ProviderConnection connectionOf(CallId id) {
		var connectionId = workflow.connectionOf(id)
			.orElseThrow(() -> new IllegalStateException("Call " + id + " vanished"));
		return connection(connectionId);
	}

	/** The connection by its id, without reading any call (a distribution pass must not load a call it has not locked). */
	ProviderConnection connection(ProviderConnectionId id) {
		return connections.connection(id)
			.orElseThrow(() -> new CallNotPossibleException("Provider connection removed",
					"The provider connection " + id + " has been deleted."));
	}

	/** The connection's connector, when its provider can do what is asked; else the 409 that says it cannot. */
	TelephonyConnector capable(ProviderConnection connection, Capability capability, String what) {
		var connector = connector(connection);
		if (!connector.description().can(capability)) {
			throw connector.notSupported(what);
		}
		return connector;
	}

	TelephonyConnector connector(ProviderConnection connection) {
		return connectors.find(connection.kind())
			.orElseThrow(() -> new ProviderException("No " + connection.kind().code() + " connector is installed"));
	}
}

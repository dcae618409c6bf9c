package io.voxdesk.asterisk.internal;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.AgentOffer;
import io.voxdesk.calls.spi.CallPresence;
import io.voxdesk.calls.spi.Capability;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectionServedElsewhere;
import io.voxdesk.calls.spi.ConnectorDescription;
import io.voxdesk.calls.spi.ConnectorSetting;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.QueueTransfer;
import io.voxdesk.calls.spi.SipEndpoint;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.calls.spi.TransferRequest;
import io.voxdesk.tenants.SecretPurpose;

import ch.loway.oss.ari4java.tools.RestException;

import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The calls SPI on a tenant's Asterisk, through the connection's supervised ARI session. */
@Component
@Order(1)
class AsteriskAdapter implements TelephonyConnector {

	/** The kind this connector drives. */
	static final ProviderKind KIND = ProviderKind.of("asterisk");

	/** The music on hold class a held customer hears (a class of the PBX's musiconhold.conf). */
	static final String HOLD_MUSIC = "holdMusicClass";

	/** Where the PBX fetches audio of the library from Voxdesk ({@code sound:http://…}). */
	static final String MEDIA_BASE_URL = "mediaBaseUrl";

	private static final ConnectorDescription DESCRIPTION = new ConnectorDescription(KIND, "Asterisk", List.of(
			ConnectorSetting.url("baseUrl", "ARI base URL").withRequired().withExample("http://pbx.example.com:8088"),
			ConnectorSetting.text("username", "ARI user (ari.conf)").withRequired().withExample("voxdesk"),
			ConnectorSetting.secret("password", "ARI password"),
			ConnectorSetting.text("application", "Stasis application")
				.withRequired()
				.withDefault("voxdesk")
				.withPattern("[A-Za-z0-9_-]{1,64}", "1 to 64 letters, digits, '_' or '-'"),
			ConnectorSetting.text("agentEndpoint", "Agent endpoint")
				.withRequired()
				.withDefault("PJSIP/{extension}")
				.withPattern(".*\\{extension}.*", "a dial string containing {extension}, e.g. PJSIP/{extension}"),
			ConnectorSetting.text("outboundEndpoint", "Outbound endpoint")
				.withRequired()
				.withDefault("PJSIP/{number}@trunk")
				.withPattern(".*\\{(number|e164)}.*", "a dial string containing {number} (digits without '+') or "
						+ "{e164}, e.g. PJSIP/{number}@trunk"),
			ConnectorSetting.flag("recording", "Record calls"),
			ConnectorSetting.number("agentRingSeconds", "Agent ring time (seconds)", 1, 999).withExample("30"),
			ConnectorSetting.number("customerRingSeconds", "Customer ring time (seconds)", 1, 999).withExample("45"),
			ConnectorSetting.number("channelLimit", "Channel limit (simultaneous calls)", 1, 100_000).withExample("100"),
			ConnectorSetting.text(HOLD_MUSIC, "Music on hold class")
				.withExample("default")
				.withPattern("[A-Za-z0-9_-]{1,80}", "the name of a class of musiconhold.conf: 1 to 80 letters, digits, "
						+ "'_' or '-'"),
			// Text, not a URL setting: Voxdesk never connects there, the PBX does, so no secret is sent to it.
			ConnectorSetting.text(MEDIA_BASE_URL, "Voxdesk address as the PBX reaches it (for audio)")
				.withExample("http://voxdesk.internal:8080")
				.withPattern("https?://[A-Za-z0-9.\\[\\]:-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?",
						"an http or https address without query, e.g. http://voxdesk.internal:8080")),
			EnumSet.of(Capability.CLICK_TO_CALL, Capability.HOLD, Capability.DTMF, Capability.BLIND_TRANSFER,
					Capability.ATTENDED_TRANSFER, Capability.RECORDING_ON_DEMAND, Capability.INBOUND,
					Capability.QUEUE_TRANSFER));

	private final AriSessions sessions;

	private final AriCallFlow flow;

	private final AriCheck check;

	AsteriskAdapter(AriSessions sessions, AriCallFlow flow, AriCheck check) {
		this.sessions = sessions;
		this.flow = flow;
		this.check = check;
	}

	@Override
	public ConnectorDescription description() {
		return DESCRIPTION;
	}

	/** Kept from before connectors declared their secret: stored passwords are encrypted for it. */
	@Override
	public SecretPurpose secretPurpose() {
		return SecretPurpose.of("asterisk.ari-password");
	}

	/** The host of the ARI base URL, with the PJSIP WebSocket transport's usual {@code wss://host:8089/ws}. */
	@Override
	public Optional<SipEndpoint> sipEndpoint(Map<String, String> settings) {
		try {
			return Optional.ofNullable(settings.get("baseUrl"))
				.map(url -> URI.create(url.strip()).getHost())
				.map(host -> new SipEndpoint(host, "wss://" + host + ":8089/ws"));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	@Override
	public ConnectionCheck test(ProviderConnection connection) {
		// The session follows the stored connection: a test right after saving may come before the saved change
		// reached the sessions (it travels by event), and a session another program took over is taken back, since
		// the admin tests on purpose.
		sessions.changed(connection);
		var session = sessions.find(connection.id()).orElse(null);
		return check.run(connection, session, session == null ? sessions.heldElsewhere(connection.id()) : null);
	}

	@Override
	public String originate(ProviderConnection connection, OutboundCall call) {
		return flow.originate(session(connection), call);
	}

	@Override
	public void hangUp(ProviderConnection connection, CallId call) {
		flow.hangUp(session(connection), call);
	}

	@Override
	public CallPresence presence(ProviderConnection connection, CallId call) {
		if (!connection.enabled()) {
			// The SPI's promise: presence never throws.
			return CallPresence.UNKNOWN;
		}
		var session = session(connection);
		if (session.state() != AriSession.State.CONNECTED) {
			return CallPresence.UNKNOWN;
		}
		try {
			// A customer handed over by a transfer is still in the call's bridge: the customer's channel tells.
			for (var channel : flow.channelsOf(call)) {
				try {
					session.ari().channels().get(channel).execute();
					return CallPresence.LIVE;
				}
				catch (RestException ex) {
					if (ex.getCode() != 404) {
						return CallPresence.UNKNOWN;
					}
				}
			}
			return CallPresence.GONE;
		}
		catch (Exception ex) {
			return CallPresence.UNKNOWN;
		}
	}

	@Override
	public void hold(ProviderConnection connection, CallId call) {
		try {
			var ari = session(connection).ari();
			var customer = flow.customerChannelOf(call);
			ari.channels().hold(customer).execute();
			var music = connection.settings().get(HOLD_MUSIC);
			if (music != null) {
				// Without it Asterisk plays its "default" class, which many PBXs do not have: the customer hears silence.
				ari.channels().startMoh(customer).setMohClass(music).execute();
			}
		}
		catch (RestException ex) {
			throw AriCallFlow.refused("hold the call", ex);
		}
	}

	@Override
	public void resume(ProviderConnection connection, CallId call) {
		try {
			var ari = session(connection).ari();
			var customer = flow.customerChannelOf(call);
			if (connection.settings().containsKey(HOLD_MUSIC)) {
				ari.channels().stopMoh(customer).execute();
			}
			ari.channels().unhold(customer).execute();
		}
		catch (RestException ex) {
			throw AriCallFlow.refused("resume the call", ex);
		}
	}

	@Override
	public void sendDtmf(ProviderConnection connection, CallId call, String digits) {
		try {
			session(connection).ari().channels().sendDTMF(flow.customerChannelOf(call)).setDtmf(digits).execute();
		}
		catch (RestException ex) {
			throw AriCallFlow.refused("send DTMF", ex);
		}
	}

	@Override
	public Optional<Boolean> reachable(ProviderConnection connection, String extension) {
		// Only the session's holder hears the PBX's endpoint states; elsewhere the agent counts as reachable (asking
		// the holder for every agent of a distribution pass would hold the pass up).
		return flow.reachable(connection, extension);
	}

	@Override
	public void offer(ProviderConnection connection, AgentOffer offer) {
		flow.offer(session(connection), offer);
	}

	@Override
	public void withdraw(ProviderConnection connection, CallId call, int offer) {
		flow.withdraw(session(connection), call, offer);
	}

	@Override
	public void release(ProviderConnection connection, CallId call, @Nullable String message) {
		flow.release(session(connection), call, message);
	}

	@Override
	public String transferToQueue(ProviderConnection connection, QueueTransfer transfer) {
		return flow.transferToQueue(session(connection), transfer);
	}

	@Override
	public void transfer(ProviderConnection connection, TransferRequest request) {
		flow.transfer(session(connection), request);
	}

	@Override
	public void completeTransfer(ProviderConnection connection, TransferRequest request) {
		flow.completeTransfer(session(connection), request);
	}

	@Override
	public void cancelTransfer(ProviderConnection connection, TransferRequest request) {
		flow.cancelTransfer(session(connection), request);
	}

	@Override
	public void connectionChanged(ProviderConnection connection) {
		sessions.changed(connection);
	}

	@Override
	public void connectionRemoved(ProviderConnectionId id) {
		sessions.close(id);
	}

	/**
	 * The connection's session on this instance; for a connection another instance serves, the exception that has
	 * the request relayed there.
	 */
	private AriSession session(ProviderConnection connection) {
		return sessions.find(connection.id()).orElseThrow(() -> notServedHere(connection));
	}

	private ProviderException notServedHere(ProviderConnection connection) {
		if (!connection.enabled()) {
			return new ProviderException("The Asterisk connection is disabled; enable it to control calls through it.");
		}
		return new ConnectionServedElsewhere(connection.id(), "No Voxdesk instance serves the Asterisk connection "
				+ "right now (see /actuator/health); try again in a moment.");
	}
}

package io.voxdesk.asterisk.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallPresence;
import io.voxdesk.calls.ConnectionCheck;
import io.voxdesk.calls.OutboundCall;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderConnection;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.TelephonyConnector;
import io.voxdesk.calls.TransferRequest;

import ch.loway.oss.ari4java.tools.RestException;

import org.springframework.stereotype.Component;

/** The calls SPI on a tenant's Asterisk, through the connection's supervised ARI session. */
@Component
class AsteriskAdapter implements TelephonyConnector {

	private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	/** The music on hold class a held customer hears (a class of the PBX's musiconhold.conf). */
	static final String HOLD_MUSIC = "holdMusicClass";

	private static final List<String> SETTINGS = List.of("baseUrl", "username", "application", "agentEndpoint",
			"outboundEndpoint", "recording", "agentRingSeconds", "customerRingSeconds", HOLD_MUSIC);

	private final AriSessions sessions;

	private final AriCallFlow flow;

	private final AriCheck check;

	AsteriskAdapter(AriSessions sessions, AriCallFlow flow, AsteriskSettings settings, OutboundTargets targets) {
		this.sessions = sessions;
		this.flow = flow;
		this.check = new AriCheck(settings, targets);
	}

	@Override
	public ProviderKind kind() {
		return ProviderKind.ASTERISK;
	}

	@Override
	public void validate(ProviderConnectionDraft draft) {
		var settings = draft.settings();
		var unknown = settings.keySet()
			.stream()
			.filter(key -> !SETTINGS.contains(key))
			.toList();
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("Unknown Asterisk settings " + unknown + "; the settings are " + SETTINGS
					+ ".");
		}
		var base = required(settings, "baseUrl", "the ARI base URL, e.g. http://pbx.example.com:8088");
		try {
			var uri = URI.create(base);
			if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
				throw new IllegalArgumentException();
			}
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("baseUrl '" + base + "' is not an http or https URL such as "
					+ "http://pbx.example.com:8088.");
		}
		required(settings, "username", "the ARI user from ari.conf");
		var app = required(settings, "application", "the Stasis application name, e.g. voxdesk");
		if (!APPLICATION.matcher(app).matches()) {
			throw new IllegalArgumentException("application must be 1 to 64 letters, digits, '_' or '-'.");
		}
		if (!required(settings, "agentEndpoint", "e.g. PJSIP/{extension}").contains("{extension}")) {
			throw new IllegalArgumentException("agentEndpoint must contain {extension}, e.g. PJSIP/{extension}.");
		}
		if (!required(settings, "outboundEndpoint", "e.g. PJSIP/{number}@trunk").matches(".*\\{(number|e164)}.*")) {
			throw new IllegalArgumentException("outboundEndpoint must contain {number} (digits without '+') or {e164}, "
					+ "e.g. PJSIP/{number}@trunk.");
		}
		for (var ring : List.of("agentRingSeconds", "customerRingSeconds")) {
			var value = settings.get(ring);
			if (value != null && !value.matches("[1-9][0-9]{0,2}")) {
				throw new IllegalArgumentException(ring + " must be a whole number of seconds from 1 to 999.");
			}
		}
		var recording = settings.getOrDefault("recording", "false");
		if (!recording.equals("true") && !recording.equals("false")) {
			throw new IllegalArgumentException("recording must be true or false.");
		}
		var music = settings.get(HOLD_MUSIC);
		if (music != null && !music.matches("[A-Za-z0-9_-]{1,80}")) {
			throw new IllegalArgumentException(HOLD_MUSIC + " must be the name of a class of musiconhold.conf: 1 to 80 "
					+ "letters, digits, '_' or '-'.");
		}
	}

	private static String required(Map<String, String> settings, String name, String hint) {
		var value = settings.get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " is required: " + hint + ".");
		}
		return value.strip();
	}

	@Override
	public ConnectionCheck test(ProviderConnection connection) {
		// The session follows the stored connection: a test right after saving may come before the saved change
		// reached the sessions (it travels by event), and a session another program took over is taken back, since
		// the admin tests on purpose.
		sessions.changed(connection);
		return check.run(connection, sessions.find(connection.id()).orElse(null));
	}

	@Override
	public String originate(ProviderConnection connection, OutboundCall call) {
		return flow.originate(session(connection.id()), call);
	}

	@Override
	public void hangUp(ProviderConnection connection, CallId call) {
		flow.hangUp(session(connection.id()), call);
	}

	@Override
	public CallPresence presence(ProviderConnection connection, CallId call) {
		var session = sessions.find(connection.id()).orElse(null);
		if (session == null || session.state() != AriSession.State.CONNECTED) {
			return CallPresence.UNKNOWN;
		}
		var legs = new Legs(call);
		try {
			// A customer handed over by a transfer is still in the call's bridge: the customer's channel tells.
			for (var channel : List.of(legs.agentChannel(), legs.customerChannel())) {
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
			var ari = session(connection.id()).ari();
			var customer = new Legs(call).customerChannel();
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
			var ari = session(connection.id()).ari();
			var customer = new Legs(call).customerChannel();
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
			session(connection.id()).ari().channels().sendDTMF(new Legs(call).customerChannel()).setDtmf(digits).execute();
		}
		catch (RestException ex) {
			throw AriCallFlow.refused("send DTMF", ex);
		}
	}

	@Override
	public boolean canTransfer() {
		return true;
	}

	@Override
	public void transfer(ProviderConnection connection, TransferRequest request) {
		flow.transfer(session(connection.id()), request);
	}

	@Override
	public void completeTransfer(ProviderConnection connection, TransferRequest request) {
		flow.completeTransfer(session(connection.id()), request);
	}

	@Override
	public void cancelTransfer(ProviderConnection connection, TransferRequest request) {
		flow.cancelTransfer(session(connection.id()), request);
	}

	@Override
	public void connectionChanged(ProviderConnection connection) {
		sessions.changed(connection);
	}

	@Override
	public void connectionRemoved(ProviderConnectionId id) {
		sessions.close(id);
	}

	private AriSession session(ProviderConnectionId id) {
		return sessions.find(id)
			.orElseThrow(() -> new ProviderException("The Asterisk connection is disabled, so Voxdesk is not connected."));
	}
}

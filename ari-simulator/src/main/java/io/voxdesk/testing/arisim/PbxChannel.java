package io.voxdesk.testing.arisim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.ObjectNode;

/** One channel of the simulated PBX; mutated only while holding the {@link Pbx} lock. */
final class PbxChannel {

	/** Whether the channel was dialled by an originate or executes dialplan as the ;2 half of a Local pair. */
	enum Role {
		/** The "outgoing line" an originate dials: a PJSIP/SIP/IAX2 channel, or the ;1 half of a Local pair. */
		DIALLED,
		/** The ;2 half of a Local pair, which runs the dialplan of the dialled extension. */
		LOCAL_PBX
	}

	final String id;

	final String name;

	final Role role;

	/** The endpoint the originate asked for, e.g. {@code PJSIP/1001} or {@code Local/answer@scenarios}. */
	final String endpoint;

	/** The device whose state Asterisk reports for this channel, e.g. {@code Local/answer@scenarios}. */
	final String device;

	final String creationtime = Json.timestamp(Instant.now());

	String state;

	String callerName = "";

	String callerNumber = "";

	String connectedName = "";

	String connectedNumber = "";

	String context;

	String exten;

	int priority = 1;

	String appName = "";

	String appData = "";

	final Map<String, String> variables = new LinkedHashMap<>();

	/** The number or extension that was dialled: the endpoint's resource before {@code @}, or the Local exten. */
	String number = "";

	/**
	 * Every variable the originate asked for, as given, dialplan functions such as
	 * {@code PJSIP_HEADER(add,X-Voxdesk-Call-Id)} included (those are not channel variables, so not in
	 * {@link #variables}); what the far end's phone would see in the INVITE.
	 */
	final Map<String, String> originateVariables = new LinkedHashMap<>();

	/** The other half of a Local pair. */
	@Nullable PbxChannel localPeer;

	/** An originate dial is in progress: the channel has been neither answered nor given up. */
	boolean dialling;

	String dialstring = "";

	/** The Stasis application an originate puts the channel into once answered. */
	@Nullable String originateApp;

	String originateAppArgs = "";

	/** Where an originate without an application sends the answered channel. */
	@Nullable String afterAnswerContext;

	@Nullable String afterAnswerExten;

	int afterAnswerPriority = 1;

	/** The script of a dialled PJSIP/SIP/IAX2 number. */
	@Nullable CallScript script;

	/** When the far end answered; its scripted greeting starts then. */
	@Nullable Instant answeredAt;

	/** Whether {@code TALK_DETECT(set)} is on: only then is the far end's speech reported. */
	boolean talkDetect;

	boolean inStasis;

	@Nullable String stasisApp;

	@Nullable PbxBridge bridge;

	/** Non-null while the channel executes dialplan, including while it sits in the Stasis() application. */
	Dialplan.@Nullable Cursor dialplan;

	boolean hangingUp;

	boolean destroyed;

	int hangupCause;

	@Nullable String originator;

	final List<Future<?>> timers = new ArrayList<>();

	PbxChannel(String id, String name, Role role, String endpoint, String device, String state, String context,
			String exten) {
		this.id = id;
		this.name = name;
		this.role = role;
		this.endpoint = endpoint;
		this.device = device;
		this.state = state;
		this.context = context;
		this.exten = exten;
	}

	boolean alive() {
		return !hangingUp && !destroyed;
	}

	void cancelTimers() {
		timers.forEach(timer -> timer.cancel(false));
		timers.clear();
	}

	ObjectNode snapshot() {
		ObjectNode channel = Json.object();
		channel.put("id", id).put("name", name).put("state", state).put("protocol_id", "");
		channel.putObject("caller").put("name", callerName).put("number", callerNumber);
		channel.putObject("connected").put("name", connectedName).put("number", connectedNumber);
		channel.put("accountcode", "");
		channel.putObject("dialplan")
			.put("context", context)
			.put("exten", exten)
			.put("priority", priority)
			.put("app_name", appName)
			.put("app_data", appData);
		channel.put("creationtime", creationtime).put("language", "en");
		return channel;
	}

	SimChannel simChannel() {
		return new SimChannel(id, name, state, endpoint, bridge == null ? null : bridge.id, number,
				Map.copyOf(originateVariables));
	}
}

package io.voxdesk.testing.arisim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated PBX: channels, bridges, playbacks, recordings, the connected Stasis applications and the events
 * they receive. Every method that touches state holds this object's monitor, timers included, so the event order
 * of one call is the order in which the code below emits it.
 */
final class Pbx {

	/** The entity id of the recorded Asterisk; every event and the ping carry it. */
	static final String ASTERISK_ID = "02:fc:00:00:00:01";

	private static final String OUTGOING_APP = "AppDial2";

	private static final String OUTGOING_DATA = "(Outgoing Line)";

	private static final Set<String> PHONE_TECHNOLOGIES = Set.of("PJSIP", "SIP", "IAX2");

	private static final Set<String> BRIDGE_TYPES = Set.of("mixing", "holding", "dtmf_events", "proxy_media",
			"video_sfu", "video_single", "sdp_label");

	private static final Set<String> MEDIA_SCHEMES = Set.of("sound", "recording", "number", "digits", "characters",
			"tone");

	private static final Set<String> RECORDING_FORMATS = Set.of("wav", "wav16", "gsm", "ulaw", "alaw", "g722",
			"sln", "sln16", "g729", "ilbc", "siren7", "siren14", "opus");

	/** How a channel comes to hang up; decides the ChannelHangupRequest Asterisk sends first. */
	enum How {
		/** {@code DELETE /channels/{id}}: soft hangup, cause 32. */
		ARI,
		/** The other half of a Local pair went away: a real cause, not soft. */
		PEER,
		/** The dialplan's {@code Hangup()} or its end: soft hangup, cause 16. */
		DIALPLAN,
		/** The remote party of a PJSIP/SIP channel hung up or rejected: a real cause, not soft. */
		FAR_END,
		/** The originate gave up on the channel (busy, timeout, unknown app): no hangup request at all. */
		SILENT
	}

	private final AriSimulatorSettings settings;

	private final ScheduledExecutorService timers;

	private final Instant startup = Instant.now();

	private final Map<String, PbxChannel> channels = new LinkedHashMap<>();

	private final Map<String, String> musicOnHold = new HashMap<>();

	/** Bridges playing music on hold, and the class ({@code ""} for the default). */
	private final Map<String, String> bridgeMusic = new HashMap<>();

	/** Technologies whose channel driver has a {@code transfer} callback; Local's has none. */
	private static final Set<String> TRANSFER_CAPABLE = Set.of("PJSIP", "SIP", "IAX2");

	private final List<String> notices = new ArrayList<>();

	private final Set<String> modules = new HashSet<>(Set.of("res_ari.so", "res_stasis.so", "res_musiconhold.so",
			"res_stasis_recording.so", "res_stasis_playback.so", "app_dial.so", "chan_pjsip.so"));

	private final Map<String, PbxBridge> bridges = new LinkedHashMap<>();

	private final Map<String, PbxPlayback> playbacks = new HashMap<>();

	/** {@code sound:http://…} media, fetched and kept as Asterisk's HTTP media cache does. */
	private final MediaCache mediaCache = new MediaCache();

	private final Map<String, Deque<PbxPlayback>> playbackQueues = new HashMap<>();

	private final Map<String, PbxRecording> liveRecordings = new LinkedHashMap<>();

	private final Map<String, PbxRecording.Stored> storedRecordings = new LinkedHashMap<>();

	private final Map<String, String> globals = new HashMap<>();

	private final Map<String, CallScript> scripts = new HashMap<>();

	private CallScript defaultScript = CallScript.answerAfter(Duration.ofMillis(200));

	private final List<String> dialled = new ArrayList<>();

	private final Map<String, OutcomeMix> mixes = new HashMap<>();

	/** The most channels up at once; 0 for no limit. */
	private int channelLimit;

	private final ChannelHistory history = new ChannelHistory();

	/** Every playback asked for, as {@code <target>=<media>}, e.g. {@code bridge:vx-b-1=sound:queue-thankyou}. */
	private final List<String> played = new ArrayList<>();

	private final Map<String, AppSession> sessions = new LinkedHashMap<>();

	private final Map<String, Set<String>> subscriptions = new HashMap<>();

	/** Phone endpoints' states by {@code <tech>/<resource>}; an endpoint not listed is dialled as if online. */
	private final Map<String, String> endpointStates = new LinkedHashMap<>();

	private long channelSequence;

	private int localSequence;

	private final Map<String, Integer> technologySequence = new HashMap<>();

	private boolean closed;

	Pbx(AriSimulatorSettings settings) {
		this.settings = settings;
		this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "ari-simulator-timers");
			thread.setDaemon(true);
			return thread;
		});
	}

	AriSimulatorSettings settings() {
		return settings;
	}

	synchronized void close() {
		closed = true;
		timers.shutdownNow();
		new LinkedHashSet<>(sessions.values()).forEach(session -> session.sink.close());
		sessions.clear();
	}

	// ---------------------------------------------------------------- scripts and test controls

	synchronized void script(String number, CallScript script) {
		scripts.put(number, script);
	}

	synchronized void removeScript(String number) {
		scripts.remove(number);
	}

	synchronized void defaultScript(CallScript script) {
		defaultScript = script;
	}

	/** Numbers starting with {@code prefix} and scripted no other way behave by the mix (the longest prefix wins). */
	synchronized void mix(String prefix, OutcomeMix mix) {
		mixes.put(prefix, mix);
	}

	synchronized void removeMix(String prefix) {
		mixes.remove(prefix);
	}

	/** At most {@code limit} channels at once (0: no limit), like {@code maxcalls} in asterisk.conf. */
	synchronized void channelLimit(int limit) {
		channelLimit = limit;
	}

	/** A number's script: its own, else the mix of its longest matching prefix, else the default. */
	private CallScript scriptOf(String number) {
		var own = scripts.get(number);
		if (own != null) {
			return own;
		}
		return mixes.entrySet()
			.stream()
			.filter(entry -> number.startsWith(entry.getKey()))
			.max(Comparator.comparingInt(entry -> entry.getKey().length()))
			.map(entry -> entry.getValue().scriptFor(number))
			.orElse(defaultScript);
	}

	synchronized Map<String, CallScript> scripts() {
		return Map.copyOf(scripts);
	}

	synchronized CallScript defaultScript() {
		return defaultScript;
	}

	synchronized List<SimChannel> simChannels() {
		return channels.values().stream().map(PbxChannel::simChannel).toList();
	}

	synchronized List<String> dialled() {
		return List.copyOf(dialled);
	}

	synchronized List<String> played() {
		return List.copyOf(played);
	}

	synchronized void hangUpFromFarEnd(String channelId, int cause) {
		PbxChannel channel = liveChannel(channelId);
		PbxChannel peer = channel.localPeer;
		if (channel.role == PbxChannel.Role.DIALLED && peer != null && peer.alive()) {
			// The far end of a Local ;1 channel is its ;2 half, which then runs Hangup(cause).
			peer.hangupCause = cause;
			hangup(peer, How.DIALPLAN, cause);
		}
		else {
			hangup(channel, How.FAR_END, cause);
		}
	}

	/**
	 * The far end of a dialled PJSIP/SIP/IAX2 channel picks up now: the events a scripted answer produces at that
	 * moment ({@code ChannelStateChange} Up, {@code Dial} ANSWER, {@code StasisStart}, ...), whatever its script.
	 *
	 * @throws IllegalArgumentException no such live channel
	 * @throws IllegalStateException the channel is not an originated phone channel that is still ringing
	 */
	synchronized void answerFromFarEnd(String channelId) {
		PbxChannel channel = liveChannel(channelId);
		if (channel.role != PbxChannel.Role.DIALLED || channel.localPeer != null) {
			throw new IllegalStateException("Channel '" + channelId
					+ "' is not a dialled PJSIP, SIP or IAX2 channel; its far end cannot answer");
		}
		if (!channel.dialling) {
			throw new IllegalStateException("Channel '" + channelId + "' is not ringing (state " + channel.state + ")");
		}
		answerDialled(channel);
	}

	synchronized void dtmfFromFarEnd(String channelId, char digit) {
		dtmfReceived(liveChannel(channelId), String.valueOf(digit));
	}

	private PbxChannel liveChannel(String channelId) {
		PbxChannel channel = channels.get(channelId);
		if (channel == null || !channel.alive()) {
			throw new IllegalArgumentException("No live channel '" + channelId + "'");
		}
		return channel;
	}

	// ---------------------------------------------------------------- WebSocket sessions and applications

	synchronized void connect(AppSession session) {
		for (String app : session.apps) {
			AppSession replaced = sessions.put(app, session);
			if (replaced != null && replaced != session) {
				// Asterisk tells the old socket and keeps it open; it just gets no more events for the app.
				ObjectNode event = Json.object()
					.put("type", "ApplicationReplaced")
					.put("timestamp", Json.now())
					.put("application", app)
					.put("asterisk_id", ASTERISK_ID);
				replaced.sink.send(Json.string(event));
			}
			subscriptions.computeIfAbsent(app, name -> new LinkedHashSet<>());
		}
	}

	synchronized void disconnect(AppSession session) {
		session.apps.forEach(app -> sessions.remove(app, session));
	}

	synchronized void dropWebSockets() {
		new LinkedHashSet<>(sessions.values()).forEach(session -> {
			disconnect(session);
			session.sink.close();
		});
	}

	synchronized ArrayNode applications() {
		ArrayNode list = Json.array();
		sessions.keySet().forEach(app -> list.add(application(app)));
		return list;
	}

	synchronized ObjectNode application(String app) {
		AppSession session = sessions.get(app);
		if (session == null) {
			throw AriError.of(404, "Application not found");
		}
		ObjectNode json = Json.object().put("name", app);
		ArrayNode channelIds = json.putArray("channel_ids");
		ArrayNode bridgeIds = json.putArray("bridge_ids");
		ArrayNode endpointIds = json.putArray("endpoint_ids");
		ArrayNode deviceNames = json.putArray("device_names");
		if (session.subscribeAll) {
			channelIds.add("__AST_CHANNEL_ALL_TOPIC");
			bridgeIds.add("__AST_BRIDGE_ALL_TOPIC");
			endpointIds.add("__AST_ENDPOINT_ALL_TOPIC");
			deviceNames.add("__AST_DEVICE_STATE_ALL_TOPIC");
		}
		else {
			for (String id : subscriptions.getOrDefault(app, Set.of())) {
				if (channels.containsKey(id)) {
					channelIds.add(id);
				}
				else if (bridges.containsKey(id)) {
					bridgeIds.add(id);
				}
			}
		}
		json.putArray("events_allowed");
		json.putArray("events_disallowed");
		return json;
	}

	// ---------------------------------------------------------------- endpoints

	/**
	 * Sets the state of a phone endpoint ({@code online} once its phone registered, {@code offline} when it is gone,
	 * {@code unknown}); applications subscribed to {@code endpoint:<tech>} or {@code endpoint:<tech>/<resource>}, and
	 * those with subscribeAll, get an {@code EndpointStateChange}.
	 */
	synchronized void endpointState(String technology, String resource, String state) {
		if (!PHONE_TECHNOLOGIES.contains(technology) || !Set.of("online", "offline", "unknown").contains(state)) {
			throw new IllegalArgumentException("An endpoint is PJSIP, SIP or IAX2 and online, offline or unknown");
		}
		String key = technology + "/" + resource;
		if (state.equals(endpointStates.put(key, state))) {
			return;
		}
		ObjectNode event = Json.object().put("type", "EndpointStateChange").put("timestamp", Json.now());
		event.set("endpoint", endpointJson(technology, resource, state));
		emit(event, List.of("endpoint:" + technology, "endpoint:" + key), false);
	}

	/** {@code GET /endpoints[/{tech}]}: the phone endpoints the simulator knows a state of. */
	synchronized ArrayNode endpoints(@Nullable String technology) {
		if (technology != null && !PHONE_TECHNOLOGIES.contains(technology)) {
			throw AriError.of(404, "No Endpoints found - invalid tech " + technology);
		}
		ArrayNode list = Json.array();
		endpointStates.forEach((key, state) -> {
			String tech = key.substring(0, key.indexOf('/'));
			if (technology == null || technology.equals(tech)) {
				list.add(endpointJson(tech, key.substring(key.indexOf('/') + 1), state));
			}
		});
		return list;
	}

	synchronized ObjectNode endpoint(String technology, String resource) {
		String state = endpointStates.get(technology + "/" + resource);
		if (state == null) {
			throw AriError.of(404, "Endpoint not found");
		}
		return endpointJson(technology, resource, state);
	}

	private ObjectNode endpointJson(String technology, String resource, String state) {
		ObjectNode json = Json.object().put("technology", technology).put("resource", resource).put("state", state);
		ArrayNode ids = json.putArray("channel_ids");
		channels.values()
			.stream()
			.filter(channel -> channel.alive() && channel.device.equals(technology + "/" + resource))
			.forEach(channel -> ids.add(channel.id));
		return json;
	}

	synchronized ObjectNode subscribe(String app, List<String> eventSources, boolean subscribe) {
		application(app);
		for (String source : eventSources) {
			int colon = source.indexOf(':');
			String scheme = colon < 0 ? source : source.substring(0, colon);
			String id = colon < 0 ? "" : source.substring(colon + 1);
			if (!Set.of("channel", "bridge", "endpoint", "deviceState").contains(scheme)) {
				throw AriError.of(400, "Invalid event source URI scheme '" + scheme + "'");
			}
			if (subscribe) {
				// Endpoints and device states are accepted without checking: the simulator has neither.
				boolean exists = ("channel".equals(scheme) && channels.containsKey(id))
						|| ("bridge".equals(scheme) && bridges.containsKey(id)) || "endpoint".equals(scheme)
						|| "deviceState".equals(scheme);
				if (!exists) {
					throw AriError.of(422, "Event source does not exist");
				}
				subscribe(app, "endpoint".equals(scheme) ? "endpoint:" + id : id);
			}
			else {
				subscriptions.getOrDefault(app, new HashSet<>()).remove("endpoint".equals(scheme) ? "endpoint:" + id : id);
			}
		}
		return application(app);
	}

	private void subscribe(@Nullable String app, String entityId) {
		if (app != null) {
			subscriptions.computeIfAbsent(app, name -> new LinkedHashSet<>()).add(entityId);
		}
	}

	/** The app [inbound] enters: the channel's ARISIM_APP, else the only connected app, else the recorded one. */
	private String inboundApp(PbxChannel channel) {
		String app = channel.variables.get(Dialplan.APP_VARIABLE);
		if (app != null && !app.isEmpty()) {
			return app;
		}
		return sessions.size() == 1 ? sessions.keySet().iterator().next() : "crmtest";
	}

	// ---------------------------------------------------------------- asterisk resource

	synchronized ObjectNode info() {
		ObjectNode info = Json.object();
		info.putObject("build")
			.put("os", "Linux")
			.put("kernel", "6.18.44-fc-v657")
			.put("machine", "x86_64")
			.put("options", "OPTIONAL_API")
			.put("date", "2026-11-21 22:07:01 UTC")
			.put("user", "root");
		info.putObject("system").put("version", settings.asteriskVersion()).put("entity_id", ASTERISK_ID);
		ObjectNode config = info.putObject("config").put("name", "").put("default_language", "en");
		config.putObject("setid").put("user", "").put("group", "");
		info.putObject("status")
			.put("startup_time", Json.timestamp(startup))
			.put("last_reload_time", Json.timestamp(startup));
		return info;
	}

	ObjectNode ping() {
		return Json.object().put("ping", "pong").put("timestamp", Json.now()).put("asterisk_id", ASTERISK_ID);
	}

	synchronized String globalVariable(String name) {
		return globals.getOrDefault(name, "");
	}

	synchronized void globalVariable(String name, String value) {
		globals.put(name, value);
	}

	// ---------------------------------------------------------------- originate

	/** The parameters of {@code POST /channels[/{channelId}]}. */
	record Originate(@Nullable String endpoint, @Nullable String app, String appArgs, @Nullable String callerId,
			int timeoutSeconds, @Nullable String channelId, @Nullable String otherChannelId,
			@Nullable String originator, Map<String, String> variables, @Nullable String context,
			@Nullable String extension, int priority) {
	}

	synchronized ObjectNode originate(Originate request) {
		String endpoint = request.endpoint();
		if (endpoint == null || endpoint.isEmpty()) {
			throw AriError.of(400, "Endpoint must be specified");
		}
		if ((request.app() == null || request.app().isEmpty()) && request.extension() == null) {
			throw AriError.of(400, "Application or extension must be specified");
		}
		int slash = endpoint.indexOf('/');
		if (slash <= 0 || slash == endpoint.length() - 1) {
			throw AriError.of(400, "Invalid endpoint specified");
		}
		if (exists(request.channelId()) || exists(request.otherChannelId())) {
			throw AriError.of(409, "Channel with given unique ID already exists");
		}
		String technology = endpoint.substring(0, slash);
		String resource = endpoint.substring(slash + 1);
		if (channelLimit > 0 && channels.size() >= channelLimit) {
			// Asterisk past maxcalls refuses new channels the way chan_pjsip refuses an unreachable endpoint.
			throw AriError.allocationFailed();
		}
		dialled.add(endpoint);
		Instant received = Instant.now();
		ObjectNode created;
		if ("Local".equalsIgnoreCase(technology)) {
			created = originateLocal(request, endpoint, resource);
		}
		else if (PHONE_TECHNOLOGIES.contains(technology.toUpperCase(Locale.ROOT))) {
			created = originatePhone(request, endpoint, technology.toUpperCase(Locale.ROOT), resource);
		}
		else {
			throw AriError.allocationFailed();
		}
		history.add(received, "originate", created.path("id").asString(), endpoint,
				request.appArgs().isEmpty() ? List.of() : List.of(request.appArgs().split(",", -1)), request.variables());
		return created;
	}

	synchronized List<ChannelHistory.Moment> history() {
		return history.moments();
	}

	synchronized void clearHistory() {
		history.clear();
	}

	/** A customer's call into {@code [inbound]}; see {@link AriSimulator#callIn}. */
	synchronized String callIn(@Nullable String app, String dialled, String callerName, String callerNumber) {
		var callerId = "\"" + callerName.replace("\"", "") + "\" <" + callerNumber + ">";
		var created = originate(new Originate("Local/" + dialled + "@inbound", null, "", callerId, 30, null, null, null,
				app == null ? Map.of() : Map.of(Dialplan.APP_VARIABLE, app), "caller", "wait", 1));
		return created.path("id").asString();
	}

	/**
	 * An extension's phone dials a number and the PBX's dialplan sends the call into Stasis with
	 * {@code outbound,<number>}: a {@code Local/<number>@agents} pair whose {@code ;2} half enters the application in
	 * state Ring with the extension as caller ID; the {@code ;1} half (returned) stands for the phone.
	 */
	synchronized String callOut(@Nullable String app, String extension, String number) {
		var created = originate(new Originate("Local/" + number + "@agents", null, "", "\"" + extension + "\" <"
				+ extension + ">", 30, null, null, null, app == null ? Map.of() : Map.of(Dialplan.APP_VARIABLE, app),
				"caller", "wait", 1));
		return created.path("id").asString();
	}

	private boolean exists(@Nullable String channelId) {
		return channelId != null && channels.containsKey(channelId);
	}

	private ObjectNode originateLocal(Originate request, String endpoint, String resource) {
		// Options such as /n follow the destination; they change nothing here.
		String destination = resource.contains("/") ? resource.substring(0, resource.indexOf('/')) : resource;
		int at = destination.lastIndexOf('@');
		String exten = at < 0 ? destination : destination.substring(0, at);
		String context = at < 0 ? "default" : destination.substring(at + 1);
		String base = "Local/" + exten + "@" + context + "-" + String.format("%08x", localSequence++);
		String outgoingId = request.channelId() != null ? request.channelId() : nextChannelId();
		String pbxId = request.otherChannelId() != null ? request.otherChannelId()
				: request.channelId() != null ? request.channelId() + ";2" : nextChannelId();
		String device = "Local/" + exten + "@" + context;
		PbxChannel outgoing = new PbxChannel(outgoingId, base + ";1", PbxChannel.Role.DIALLED, endpoint, device,
				"Down", context, exten);
		PbxChannel pbx = new PbxChannel(pbxId, base + ";2", PbxChannel.Role.LOCAL_PBX, endpoint, device, "Ring",
				context, exten);
		outgoing.localPeer = pbx;
		pbx.localPeer = outgoing;
		outgoing.number = exten;
		pbx.number = exten;
		outgoing.originator = request.originator();
		channels.put(outgoing.id, outgoing);
		channels.put(pbx.id, pbx);
		channelEvent("ChannelCreated", outgoing);
		channelEvent("ChannelCreated", pbx);
		subscribe(request.app(), outgoing.id);
		subscribe(request.app(), pbx.id);
		outgoing.appName = OUTGOING_APP;
		outgoing.appData = OUTGOING_DATA;
		dialplanEvent(outgoing);
		List<Dialplan.Step> steps = Dialplan.lookup(context, exten);
		if (steps == null) {
			ObjectNode response = outgoing.snapshot();
			outgoing.hangingUp = true;
			pbx.hangingUp = true;
			destroy(pbx, "INVALID");
			destroy(outgoing, "INVALID");
			return response;
		}
		applyCallerAndVariables(request, outgoing, pbx);
		ObjectNode response = outgoing.snapshot();
		prepareDial(request, outgoing, destination);
		pbx.dialplan = new Dialplan.Cursor(context, exten, steps, 0);
		runDialplan(pbx);
		return response;
	}

	private ObjectNode originatePhone(Originate request, String endpoint, String technology, String resource) {
		int at = resource.indexOf('@');
		String number = at < 0 ? resource : resource.substring(0, at);
		CallScript script = scriptOf(number);
		// An endpoint without a registered contact cannot be dialled: chan_pjsip refuses the channel.
		if (script.outcome() == CallScript.Outcome.UNAVAILABLE
				|| "offline".equals(endpointStates.get(technology + "/" + number))) {
			throw AriError.allocationFailed();
		}
		// chan_pjsip names a "number@endpoint" channel after the endpoint, like PJSIP/trunk-00000001.
		String device = technology + "/" + (at < 0 ? resource : resource.substring(at + 1));
		int sequence = technologySequence.merge(technology, 1, Integer::sum) - 1;
		String id = request.channelId() != null ? request.channelId() : nextChannelId();
		PbxChannel channel = new PbxChannel(id, device + "-" + String.format("%08x", sequence),
				PbxChannel.Role.DIALLED, endpoint, device, "Down", "default", "s");
		channel.originator = request.originator();
		channel.script = script;
		channel.number = number;
		channels.put(channel.id, channel);
		channelEvent("ChannelCreated", channel);
		subscribe(request.app(), channel.id);
		channel.appName = OUTGOING_APP;
		channel.appData = OUTGOING_DATA;
		dialplanEvent(channel);
		applyCallerAndVariables(request, channel, null);
		ObjectNode response = channel.snapshot();
		prepareDial(request, channel, resource);
		switch (script.outcome()) {
			case ANSWER -> {
				if (script.ringing().isPositive()) {
					after(channel, 0, () -> ringingDialled(channel));
				}
				after(channel, script.ringing().toMillis(), () -> answerDialled(channel));
			}
			case BUSY -> after(channel, 0, () -> hangup(channel, How.FAR_END, Causes.USER_BUSY));
			case CONGESTION -> after(channel, 0, () -> hangup(channel, How.FAR_END, Causes.CONGESTION));
			case NO_ANSWER -> after(channel, 0, () -> ringingDialled(channel));
			case UNAVAILABLE -> throw new IllegalStateException("handled above");
		}
		return response;
	}

	private String nextChannelId() {
		return Instant.now().getEpochSecond() + "." + channelSequence++;
	}

	private void applyCallerAndVariables(Originate request, PbxChannel outgoing, @Nullable PbxChannel pbx) {
		String callerId = request.callerId();
		if (callerId != null && !callerId.isEmpty()) {
			String[] parsed = parseCallerId(callerId);
			outgoing.callerName = parsed[0];
			outgoing.callerNumber = parsed[1];
			channelEvent("ChannelCallerId", outgoing);
			outgoing.connectedName = parsed[0];
			outgoing.connectedNumber = parsed[1];
			channelEvent("ChannelConnectedLine", outgoing);
		}
		outgoing.originateVariables.putAll(request.variables());
		request.variables().forEach((name, value) -> {
			if (name.contains("(")) {
				// A dialplan function such as CALLERID(name): it changes the channel but is no variable.
				if ("CALLERID(name)".equalsIgnoreCase(name)) {
					outgoing.callerName = value;
				}
				else if ("CALLERID(num)".equalsIgnoreCase(name)) {
					outgoing.callerNumber = value;
				}
				return;
			}
			outgoing.variables.put(name, value);
			varset(outgoing, name, value);
			if (pbx != null) {
				pbx.variables.put(name, value);
				varset(pbx, name, value);
			}
		});
		if (pbx != null && (!outgoing.callerName.isEmpty() || !outgoing.callerNumber.isEmpty())) {
			pbx.callerName = outgoing.callerName;
			pbx.callerNumber = outgoing.callerNumber;
			pbx.connectedName = outgoing.callerName;
			pbx.connectedNumber = outgoing.callerNumber;
			channelEvent("ChannelCallerId", pbx);
			channelEvent("ChannelConnectedLine", pbx);
		}
	}

	private void prepareDial(Originate request, PbxChannel outgoing, String dialstring) {
		outgoing.dialling = true;
		outgoing.dialstring = dialstring;
		outgoing.originateApp = request.app() == null || request.app().isEmpty() ? null : request.app();
		outgoing.originateAppArgs = request.appArgs();
		if (outgoing.originateApp == null) {
			outgoing.afterAnswerContext = request.context() != null ? request.context() : "default";
			outgoing.afterAnswerExten = request.extension();
			outgoing.afterAnswerPriority = Math.max(1, request.priority());
		}
		dialEvent(outgoing, "");
		if (request.timeoutSeconds() > 0) {
			after(outgoing, request.timeoutSeconds() * 1000L, () -> {
				if (outgoing.dialling) {
					hangup(outgoing, How.SILENT, Causes.NO_ANSWER);
				}
			});
		}
	}

	/** Splits {@code "Name" <number>} the way Asterisk's callerid parser does. */
	static String[] parseCallerId(String callerId) {
		int open = callerId.indexOf('<');
		int close = callerId.indexOf('>', open + 1);
		if (open >= 0 && close > open) {
			String name = callerId.substring(0, open).trim();
			if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
				name = name.substring(1, name.length() - 1);
			}
			return new String[] { name, callerId.substring(open + 1, close).trim() };
		}
		String trimmed = callerId.trim();
		return trimmed.matches("[+0-9*#]+") ? new String[] { "", trimmed } : new String[] { trimmed, "" };
	}

	// ---------------------------------------------------------------- call progress

	private void ringingDialled(PbxChannel outgoing) {
		if (!outgoing.alive() || !outgoing.dialling || !"Down".equals(outgoing.state)) {
			return;
		}
		outgoing.state = "Ringing";
		channelEvent("ChannelStateChange", outgoing);
		dialEvent(outgoing, "RINGING");
		deviceState(outgoing.device, outgoing.localPeer != null ? "INUSE" : "RINGING");
	}

	private void answerDialled(PbxChannel outgoing) {
		if (!outgoing.alive() || !outgoing.dialling) {
			return;
		}
		outgoing.dialling = false;
		outgoing.state = "Up";
		outgoing.answeredAt = Instant.now();
		channelEvent("ChannelStateChange", outgoing);
		dialEvent(outgoing, "ANSWER");
		String app = outgoing.originateApp;
		if (app != null) {
			if (!enterStasis(outgoing, app, outgoing.originateAppArgs)) {
				hangup(outgoing, How.SILENT, Causes.UNKNOWN);
				return;
			}
		}
		else if (outgoing.afterAnswerExten != null) {
			List<Dialplan.Step> steps = Dialplan.lookup(outgoing.afterAnswerContext, outgoing.afterAnswerExten);
			if (steps != null) {
				outgoing.dialplan = new Dialplan.Cursor(outgoing.afterAnswerContext, outgoing.afterAnswerExten,
						steps, outgoing.afterAnswerPriority - 1);
			}
		}
		deviceState(outgoing.device, "INUSE");
		deviceState(outgoing.device, "INUSE");
		CallScript script = outgoing.script;
		if (script != null) {
			if (script.talk() != null) {
				after(outgoing, script.talk().toMillis(),
						() -> hangup(outgoing, How.FAR_END, Causes.NORMAL_CLEARING));
			}
			if (script.dtmf() != null && script.dtmfAfter() != null) {
				String digits = script.dtmf();
				for (int i = 0; i < digits.length(); i++) {
					String digit = String.valueOf(digits.charAt(i));
					after(outgoing, script.dtmfAfter().toMillis() + 250L * i, () -> dtmfReceived(outgoing, digit));
				}
			}
		}
		if (outgoing.dialplan != null) {
			runDialplan(outgoing);
		}
	}

	/** A channel answers itself: the Answer() application or ARI's answer on an inbound channel. */
	private void answerLocally(PbxChannel channel) {
		if ("Up".equals(channel.state)) {
			return;
		}
		channel.state = "Up";
		channelEvent("ChannelStateChange", channel);
		PbxChannel peer = channel.localPeer;
		if (peer != null && peer.alive() && peer.dialling) {
			answerDialled(peer);
		}
	}

	private void ringLocally(PbxChannel channel) {
		PbxChannel peer = channel.localPeer;
		if (peer != null && peer.alive() && peer.dialling) {
			ringingDialled(peer);
		}
	}

	private boolean enterStasis(PbxChannel channel, String app, String rawArgs) {
		channel.appName = "Stasis";
		channel.appData = rawArgs.isEmpty() ? app : app + "," + rawArgs;
		varset(channel, "STASISSTATUS", "");
		if (!sessions.containsKey(app)) {
			varset(channel, "STASISSTATUS", "FAILED");
			return false;
		}
		channel.inStasis = true;
		channel.stasisApp = app;
		subscribe(app, channel.id);
		ObjectNode event = head("StasisStart");
		ArrayNode args = event.putArray("args");
		if (!rawArgs.isEmpty()) {
			for (String arg : rawArgs.split(",", -1)) {
				args.add(arg);
			}
		}
		event.set("channel", channel.snapshot());
		emit(event, List.of(channel.id), false);
		history.add(Instant.now(), "stasis-start", channel.id, channel.endpoint, rawArgs.isEmpty() ? List.of()
				: List.of(rawArgs.split(",", -1)), null);
		return true;
	}

	/** The channel leaves its bridge and its Stasis application, as before a hangup, continue or redirect. */
	private void leaveStasis(PbxChannel channel) {
		if (channel.bridge != null) {
			leaveBridge(channel);
		}
		if (channel.inStasis) {
			channel.inStasis = false;
			channelEvent("StasisEnd", channel);
			varset(channel, "STASISSTATUS", "SUCCESS");
		}
	}

	private void dtmfReceived(PbxChannel channel, String digit) {
		if (!channel.alive()) {
			return;
		}
		ObjectNode event = head("ChannelDtmfReceived").put("digit", digit).put("duration_ms", 100);
		event.set("channel", channel.snapshot());
		emit(event, List.of(channel.id), false);
	}

	// ---------------------------------------------------------------- dialplan

	private void runDialplan(PbxChannel channel) {
		while (channel.alive() && channel.dialplan != null) {
			Dialplan.Cursor cursor = channel.dialplan;
			if (cursor.next >= cursor.steps.size()) {
				hangup(channel, How.DIALPLAN, Causes.NORMAL_CLEARING);
				return;
			}
			Dialplan.Step step = cursor.steps.get(cursor.next++);
			channel.context = cursor.context;
			channel.exten = cursor.exten;
			channel.priority = cursor.next;
			channel.appName = step.app();
			channel.appData = Dialplan.expand(step.data(), name -> dialplanValue(channel, name));
			dialplanEvent(channel);
			long wait = execute(channel, step.app(), channel.appData);
			if (wait < 0) {
				return;
			}
			if (wait > 0) {
				after(channel, wait, () -> runDialplan(channel));
				return;
			}
		}
	}

	/** Runs one dialplan application: 0 goes on at once, a positive number after that many ms, -1 stops. */
	private long execute(PbxChannel channel, String app, String data) {
		switch (app) {
			case "Answer" -> {
				if ("Up".equals(channel.state)) {
					return 0;
				}
				answerLocally(channel);
				// Answer() waits up to 500 ms for the first media frame, which a Local channel without audio
				// never gets.
				return 500;
			}
			case "Ringing" -> {
				ringLocally(channel);
				return 0;
			}
			case "Wait" -> {
				return (long) (Double.parseDouble(data.isEmpty() ? "0" : data) * 1000);
			}
			case "Hangup" -> {
				int cause = data.isEmpty() ? Causes.NORMAL_CLEARING : Integer.parseInt(data.trim());
				channel.hangupCause = cause;
				hangup(channel, How.DIALPLAN, cause);
				return -1;
			}
			case "Busy" -> {
				busyLocally(channel, Causes.USER_BUSY, "BUSY");
				return -1;
			}
			case "Congestion" -> {
				busyLocally(channel, Causes.CONGESTION, "CONGESTION");
				return -1;
			}
			case "Playback" -> {
				answerLocally(channel);
				after(channel, mediaMillis("sound:" + data), () -> {
					varset(channel, "PLAYBACKSTATUS", "SUCCESS");
					runDialplan(channel);
				});
				return -1;
			}
			case "SendDTMF" -> {
				PbxChannel peer = channel.localPeer;
				for (int i = 0; i < data.length(); i++) {
					String digit = String.valueOf(data.charAt(i));
					if (peer != null) {
						after(peer, 200L * (i + 1), () -> dtmfReceived(peer, digit));
					}
				}
				// The recorded client hung up right after the digit, before the next step; leaving the next step
				// a second later keeps that order even when the test machine is slow.
				after(channel, 200L * data.length() + 1000, () -> runDialplan(channel));
				return -1;
			}
			case "Stasis" -> {
				int comma = data.indexOf(',');
				String stasisApp = comma < 0 ? data : data.substring(0, comma);
				String args = comma < 0 ? "" : data.substring(comma + 1);
				return enterStasis(channel, stasisApp, args) ? -1 : 0;
			}
			default -> {
				return 0;
			}
		}
	}

	private String dialplanValue(PbxChannel channel, String name) {
		return switch (name) {
			case "EXTEN" -> channel.exten;
			case "CALLERID(all)" -> channel.callerName.isEmpty() ? "<" + channel.callerNumber + ">"
					: "\"" + channel.callerName + "\" <" + channel.callerNumber + ">";
			case "CALLERID(num)" -> channel.callerNumber;
			case "CALLERID(name)" -> channel.callerName;
			case Dialplan.APP_VARIABLE -> inboundApp(channel);
			default -> channel.variables.getOrDefault(name, "");
		};
	}

	private void busyLocally(PbxChannel channel, int cause, String dialStatus) {
		channel.state = "Busy";
		channelEvent("ChannelStateChange", channel);
		channel.hangupCause = cause;
		PbxChannel peer = channel.localPeer;
		if (peer != null && peer.alive() && peer.dialling) {
			dialEvent(peer, dialStatus);
			peer.dialling = false;
			// The originate sees the status and abandons its channel, whose cause stays unset (0).
			hangup(peer, How.SILENT, Causes.UNKNOWN);
		}
	}

	// ---------------------------------------------------------------- hangup

	/**
	 * Hangs a channel up with the event sequence Asterisk 22 produces: the hangup request (depending on who hangs
	 * up), the end of its media, the Dial status of an unanswered originate, leaving the bridge and Stasis, the
	 * dialplan unwinding, the Local peer, and finally ChannelDestroyed.
	 */
	private void hangup(PbxChannel channel, How how, int cause) {
		if (!channel.alive()) {
			return;
		}
		channel.hangingUp = true;
		channel.cancelTimers();
		if (channel.hangupCause == 0) {
			channel.hangupCause = cause;
		}
		switch (how) {
			case ARI -> hangupRequest(channel, Causes.SOFT_HANGUP_EXPLICIT, true);
			case PEER, FAR_END -> hangupRequest(channel, cause, false);
			case DIALPLAN -> hangupRequest(channel, Causes.NORMAL_CLEARING, true);
			case SILENT -> {
			}
		}
		stopMediaOf(channel.id);
		if (channel.dialling) {
			channel.dialling = false;
			if (how == How.ARI) {
				dialEvent(channel, "NOANSWER");
			}
			else if (how == How.PEER || how == How.FAR_END) {
				dialEvent(channel, Causes.dialStatus(cause));
			}
		}
		leaveStasis(channel);
		if (channel.dialplan != null && how != How.DIALPLAN) {
			hangupRequest(channel, Causes.NORMAL_CLEARING, true);
		}
		PbxChannel peer = channel.localPeer;
		if (peer != null && peer.alive()) {
			hangup(peer, How.PEER, channel.hangupCause);
		}
		destroy(channel, "NOT_INUSE");
	}

	private void destroy(PbxChannel channel, String deviceState) {
		channel.destroyed = true;
		channel.cancelTimers();
		if (channel.role == PbxChannel.Role.DIALLED) {
			channel.appName = OUTGOING_APP;
			channel.appData = OUTGOING_DATA;
		}
		else {
			channel.appName = "";
			channel.appData = "";
		}
		ObjectNode event = head("ChannelDestroyed").put("cause", channel.hangupCause)
			.put("cause_txt", Causes.text(channel.hangupCause));
		event.set("channel", channel.snapshot());
		emit(event, List.of(channel.id), false);
		channels.remove(channel.id);
		playbackQueues.remove(channel.id);
		subscriptions.values().forEach(ids -> ids.remove(channel.id));
		deviceState(channel.device, deviceState);
	}

	private void hangupRequest(PbxChannel channel, int cause, boolean soft) {
		ObjectNode event = Json.object().put("cause", cause);
		if (soft) {
			event.put("soft", true);
		}
		event.put("type", "ChannelHangupRequest").put("timestamp", Json.now());
		event.set("channel", channel.snapshot());
		emit(event, List.of(channel.id), false);
	}

	// ---------------------------------------------------------------- channel operations over ARI

	synchronized ArrayNode channelList() {
		ArrayNode list = Json.array();
		channels.values().forEach(channel -> list.add(channel.snapshot()));
		return list;
	}

	synchronized ObjectNode channel(String channelId) {
		return found(channelId).snapshot();
	}

	private PbxChannel found(String channelId) {
		PbxChannel channel = channels.get(channelId);
		if (channel == null || channel.destroyed) {
			throw AriError.channelNotFound();
		}
		return channel;
	}

	private PbxChannel inStasis(String channelId) {
		PbxChannel channel = found(channelId);
		if (!channel.inStasis) {
			throw AriError.notInStasis();
		}
		return channel;
	}

	synchronized void hangup(String channelId, @Nullable String reason, @Nullable String reasonCode) {
		PbxChannel channel = found(channelId);
		int cause = Causes.NORMAL_CLEARING;
		if (reasonCode != null && !reasonCode.isEmpty()) {
			try {
				cause = Integer.parseInt(reasonCode);
			}
			catch (NumberFormatException ex) {
				throw AriError.of(400, "Invalid reason for hangup provided");
			}
		}
		else if (reason != null && !reason.isEmpty()) {
			Integer mapped = Causes.forReason(reason);
			if (mapped == null) {
				throw AriError.of(400, "Invalid reason for hangup provided");
			}
			cause = mapped;
		}
		channel.hangupCause = cause;
		hangup(channel, How.ARI, cause);
	}

	synchronized void answer(String channelId) {
		answerLocally(inStasis(channelId));
	}

	synchronized void ring(String channelId) {
		ringLocally(inStasis(channelId));
	}

	synchronized void ringStop(String channelId) {
		inStasis(channelId);
	}

	synchronized void hold(String channelId, boolean hold) {
		PbxChannel channel = inStasis(channelId);
		channelEvent(hold ? "ChannelHold" : "ChannelUnhold", channel);
	}

	synchronized void mute(String channelId) {
		inStasis(channelId);
	}

	/**
	 * Music on hold started ({@code mohClass} given, or {@code ""} for the channel's default) or stopped
	 * ({@literal null}). Asterisk queues this and answers 204 whatever the class: an unknown class only gets a warning
	 * in its log, so the simulator accepts any class too and remembers it for tests.
	 */
	synchronized void musicOnHold(String channelId, @Nullable String mohClass) {
		inStasis(channelId);
		if (mohClass == null) {
			musicOnHold.remove(channelId);
		}
		else {
			musicOnHold.put(channelId, mohClass);
		}
	}

	synchronized Optional<String> musicOnHold(String channelId) {
		return Optional.ofNullable(musicOnHold.get(channelId));
	}

	/** Loaded modules: what {@code GET /asterisk/modules/{name}} finds. */
	synchronized Optional<ObjectNode> module(String name) {
		if (!modules.contains(name)) {
			return Optional.empty();
		}
		return Optional.of(Json.object().put("name", name).put("description", name).put("use_count", 0)
			.put("status", "Running").put("support_level", "core"));
	}

	synchronized void unloadModule(String name) {
		modules.remove(name);
	}

	synchronized void dtmfToFarEnd(String channelId, String digits) {
		PbxChannel channel = inStasis(channelId);
		PbxChannel peer = channel.localPeer;
		if (peer != null) {
			// The digits travel through the Local pair to the other half.
			for (int i = 0; i < digits.length(); i++) {
				String digit = String.valueOf(digits.charAt(i));
				after(peer, 250L * i + 100, () -> dtmfReceived(peer, digit));
			}
		}
	}

	synchronized String variable(String channelId, String name) {
		PbxChannel channel = channels.get(channelId);
		if (channel == null) {
			throw AriError.of(404, "Provided channel was not found");
		}
		String value = channel.variables.get(name);
		if (value == null) {
			throw AriError.of(404, "Provided variable was not found");
		}
		return value;
	}

	/**
	 * Sets a variable, or writes a dialplan function, as ARI's {@code POST /channels/{id}/variable} does: only on a
	 * channel in Stasis (409 otherwise). Of the functions only {@code TALK_DETECT(set|remove)} is known here; any
	 * other, and a {@code TALK_DETECT} value Asterisk would not parse, is refused as Asterisk refuses a failing write:
	 * 400 "Failed to execute function".
	 */
	synchronized void variable(String channelId, String name, String value) {
		PbxChannel channel = channels.get(channelId);
		if (channel == null) {
			throw AriError.of(404, "Channel not found");
		}
		if (!channel.inStasis) {
			throw AriError.of(409, "Channel not in Stasis application");
		}
		if (name.contains("(")) {
			writeFunction(channel, name, value);
			return;
		}
		channel.variables.put(name, value);
		varset(channel, name, value);
	}

	private void writeFunction(PbxChannel channel, String name, String value) {
		var failed = AriError.of(400, "Failed to execute function");
		if (name.equalsIgnoreCase("TALK_DETECT(remove)")) {
			channel.talkDetect = false;
			return;
		}
		if (!name.equalsIgnoreCase("TALK_DETECT(set)")) {
			throw failed;
		}
		int silence = 2500;
		if (!value.isEmpty()) {
			var parts = value.split(",", -1);
			try {
				if (!parts[0].isEmpty()) {
					silence = Integer.parseInt(parts[0].strip());
				}
				if (parts.length > 1 && !parts[1].isEmpty() && Integer.parseInt(parts[1].strip()) < 1) {
					throw failed;
				}
			}
			catch (NumberFormatException ex) {
				throw failed;
			}
			if (silence < 1) {
				throw failed;
			}
		}
		if (channel.talkDetect) {
			return;
		}
		channel.talkDetect = true;
		scheduleGreeting(channel, silence);
	}

	/**
	 * The far end's scripted greeting, as talk detection reports it: talking starts a moment after the answer and is
	 * reported finished once {@code silence} ms of silence followed it, with the talking's own length as duration.
	 * Speech before detection was set is not reported, as Asterisk's audiohook starts when it is set.
	 */
	private void scheduleGreeting(PbxChannel channel, int silence) {
		CallScript script = channel.script;
		Duration greeting = script == null ? null : script.greeting();
		if (greeting == null || channel.answeredAt == null) {
			return;
		}
		long sinceAnswer = (long) (Duration.between(channel.answeredAt, Instant.now()).toMillis() / settings.timeScale());
		long start = Math.max(0, 200 - sinceAnswer);
		long length = greeting.toMillis() - Math.max(0, sinceAnswer - 200);
		if (length <= 0) {
			return;
		}
		after(channel, start, () -> {
			if (channel.talkDetect) {
				channelEvent("ChannelTalkingStarted", channel);
			}
		});
		after(channel, start + length + silence, () -> {
			if (!channel.talkDetect) {
				return;
			}
			ObjectNode event = head("ChannelTalkingFinished").put("duration", length);
			event.set("channel", channel.snapshot());
			emit(event, List.of(channel.id), false);
		});
	}

	synchronized void continueInDialplan(String channelId) {
		PbxChannel channel = inStasis(channelId);
		leaveStasis(channel);
		if (channel.dialplan != null) {
			runDialplan(channel);
		}
		else {
			hangup(channel, How.DIALPLAN, Causes.NORMAL_CLEARING);
		}
	}

	/**
	 * {@code POST /channels/{id}/redirect}, as res/ari/resource_channels.c and res/stasis/control.c do it: the checks
	 * answer 412 (a channel still Down or Ringing), 422 (no tech/resource, or a technology other than the
	 * channel's), and otherwise the redirect is queued and answered 204 before it runs. Then {@code ast_transfer}
	 * asks the channel's technology to transfer; Local channels have no transfer callback, so Asterisk only logs
	 * {@code Unsupported transfer requested on channel '…'} and the channel stays where it was, in Stasis. PJSIP
	 * (a REFER, or a 302 before answer) and IAX2 do transfer: the far end takes the call and this side ends.
	 */
	synchronized void redirect(String channelId, String endpoint) {
		PbxChannel channel = inStasis(channelId);
		if (channel.state.equals("Down") || channel.state.equals("Ringing")) {
			throw AriError.of(412, "Channel in invalid state");
		}
		int slash = endpoint.indexOf('/');
		if (slash <= 0) {
			throw AriError.of(422, "Endpoint parameter '" + endpoint + "' does not contain tech/resource");
		}
		if (slash == endpoint.length() - 1) {
			throw AriError.of(422, "No resource provided in endpoint parameter '" + endpoint + "'");
		}
		String tech = endpoint.substring(0, slash);
		String channelTech = channel.name.substring(0, channel.name.indexOf('/'));
		if (!channelTech.regionMatches(true, 0, tech, 0, tech.length())) {
			throw AriError.of(422, "Endpoint technology '" + tech + "' does not match channel technology '"
					+ channelTech + "'");
		}
		if (!TRANSFER_CAPABLE.contains(channelTech.toUpperCase(Locale.ROOT))) {
			notices.add("app_control_redirect: Unsupported transfer requested on channel '" + channel.name + "'");
			return;
		}
		leaveStasis(channel);
		// The channel is transferred away: the far end takes it and this side ends shortly after.
		after(channel, 100, () -> hangup(channel, How.FAR_END, Causes.NORMAL_CLEARING));
	}

	/** What Asterisk logged at NOTICE level or above about requests it accepted but could not carry out. */
	synchronized List<String> notices() {
		return List.copyOf(notices);
	}

	// ---------------------------------------------------------------- bridges

	synchronized ObjectNode createBridge(@Nullable String bridgeId, @Nullable String type, @Nullable String name) {
		List<String> types = type == null || type.isEmpty() ? List.of("mixing") : List.of(type.split(","));
		if (!BRIDGE_TYPES.containsAll(types)) {
			throw AriError.of(500, "Unable to create bridge. Possible duplicate bridge id '"
					+ (bridgeId == null ? "(null)" : bridgeId) + "'");
		}
		if (bridgeId != null && bridges.containsKey(bridgeId)) {
			return bridges.get(bridgeId).snapshot();
		}
		PbxBridge bridge = new PbxBridge(bridgeId != null ? bridgeId : UUID.randomUUID().toString(),
				name == null ? "" : name, types.contains("holding"));
		bridges.put(bridge.id, bridge);
		ObjectNode event = head("BridgeCreated");
		event.set("bridge", bridge.snapshot());
		emit(event, List.of(bridge.id), false);
		return bridge.snapshot();
	}

	synchronized ArrayNode bridgeList() {
		ArrayNode list = Json.array();
		bridges.values().forEach(bridge -> list.add(bridge.snapshot()));
		return list;
	}

	synchronized ObjectNode bridge(String bridgeId) {
		return bridgeFound(bridgeId).snapshot();
	}

	private PbxBridge bridgeFound(String bridgeId) {
		PbxBridge bridge = bridges.get(bridgeId);
		if (bridge == null) {
			throw AriError.of(404, "Bridge not found");
		}
		return bridge;
	}

	synchronized void addChannels(String bridgeId, List<String> channelIds) {
		PbxBridge bridge = bridgeFound(bridgeId);
		List<PbxChannel> joining = new ArrayList<>();
		for (String id : channelIds) {
			PbxChannel channel = channels.get(id);
			if (channel == null || !channel.alive()) {
				throw AriError.of(400, "Channel not found");
			}
			if (!channel.inStasis) {
				throw AriError.of(422, "Channel not in Stasis application");
			}
			joining.add(channel);
		}
		boolean added = false;
		for (PbxChannel channel : joining) {
			if (channel.bridge == bridge) {
				continue;
			}
			if (channel.bridge != null) {
				leaveBridge(channel);
			}
			bridge.channels.add(channel);
			channel.bridge = bridge;
			subscribe(channel.stasisApp, bridge.id);
			ObjectNode event = head("ChannelEnteredBridge");
			event.set("bridge", bridge.snapshot());
			event.set("channel", channel.snapshot());
			emit(event, List.of(bridge.id, channel.id), false);
			added = true;
		}
		if (added && bridge.channels.size() == 2) {
			PbxChannel first = bridge.channels.get(0);
			PbxChannel second = bridge.channels.get(1);
			varset(first, "BRIDGEPEER", second.name);
			varset(second, "BRIDGEPEER", first.name);
		}
	}

	synchronized void removeChannels(String bridgeId, List<String> channelIds) {
		PbxBridge bridge = bridgeFound(bridgeId);
		List<PbxChannel> leaving = new ArrayList<>();
		for (String id : channelIds) {
			PbxChannel channel = channels.get(id);
			if (channel == null || !channel.alive()) {
				throw AriError.of(400, "Channel not found");
			}
			if (channel.bridge != bridge) {
				throw AriError.of(422, "Channel not in this bridge");
			}
			leaving.add(channel);
		}
		leaving.forEach(this::leaveBridge);
	}

	private void leaveBridge(PbxChannel channel) {
		PbxBridge bridge = channel.bridge;
		if (bridge == null) {
			return;
		}
		bridge.channels.remove(channel);
		channel.bridge = null;
		varset(channel, "BRIDGEPEER", "");
		ObjectNode event = head("ChannelLeftBridge");
		event.set("bridge", bridge.snapshot());
		event.set("channel", channel.snapshot());
		emit(event, List.of(bridge.id, channel.id), false);
	}

	/**
	 * {@code POST /bridges/{id}/moh}: Asterisk puts an announcer channel playing the class into the bridge and
	 * answers 204 whatever the class; {@code DELETE} answers 409 "Bridge isn't playing music" when none plays.
	 */
	synchronized void bridgeMusic(String bridgeId, @Nullable String mohClass) {
		PbxBridge bridge = bridgeFound(bridgeId);
		if (mohClass != null) {
			bridgeMusic.put(bridge.id, mohClass);
		}
		else if (bridgeMusic.remove(bridge.id) == null) {
			throw AriError.of(409, "Bridge isn't playing music");
		}
	}

	synchronized Optional<String> bridgeMusic(String bridgeId) {
		return Optional.ofNullable(bridgeMusic.get(bridgeId));
	}

	synchronized void destroyBridge(String bridgeId) {
		PbxBridge bridge = bridgeFound(bridgeId);
		bridgeMusic.remove(bridge.id);
		List.copyOf(bridge.channels).forEach(this::leaveBridge);
		stopMediaOf(bridge.id);
		bridges.remove(bridge.id);
		playbackQueues.remove(bridge.id);
		ObjectNode event = head("BridgeDestroyed");
		event.set("bridge", bridge.snapshot());
		emit(event, List.of(bridge.id), false);
		subscriptions.values().forEach(ids -> ids.remove(bridge.id));
	}

	// ---------------------------------------------------------------- playbacks

	synchronized ObjectNode play(boolean toBridge, String targetId, List<String> media, @Nullable String language,
			@Nullable String playbackId) {
		String channelLanguage = "en";
		if (toBridge) {
			bridgeFound(targetId);
		}
		else {
			inStasis(targetId);
		}
		if (media.isEmpty()) {
			throw AriError.missing("media");
		}
		String id = playbackId != null ? playbackId : UUID.randomUUID().toString();
		if (playbacks.containsKey(id)) {
			throw AriError.of(409, "A playback with the same id already exists");
		}
		PbxPlayback playback = new PbxPlayback(id, List.copyOf(media), (toBridge ? "bridge:" : "channel:") + targetId,
				targetId, language == null || language.isEmpty() ? channelLanguage : language);
		playbacks.put(id, playback);
		media.forEach(uri -> played.add((toBridge ? "bridge:" : "channel:") + targetId + "=" + uri));
		Deque<PbxPlayback> queue = playbackQueues.computeIfAbsent(targetId, target -> new ArrayDeque<>());
		queue.addLast(playback);
		ObjectNode response = playback.snapshot();
		if (queue.size() == 1) {
			startPlayback(playback);
		}
		return response;
	}

	private void startPlayback(PbxPlayback playback) {
		playback.state = "playing";
		playbackEvent("PlaybackStarted", playback);
		String uri = playback.media.get(playback.index);
		String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : "";
		if (!MEDIA_SCHEMES.contains(scheme)) {
			// Asterisk 22 announces it, then silently drops it: no PlaybackFinished ever follows.
			removePlayback(playback);
			return;
		}
		if (uri.startsWith("sound:http://") || uri.startsWith("sound:https://")) {
			fetchThenPlay(playback, uri);
			return;
		}
		if (!mediaExists(uri)) {
			playback.state = "failed";
			playbackEvent("PlaybackFinished", playback);
			removePlayback(playback);
			return;
		}
		long millis = mediaMillis(uri);
		if (millis >= 0) {
			playback.timer = later(millis, () -> playbackItemDone(playback));
		}
	}

	/**
	 * Asterisk fetches remote media inside the playback, after {@code PlaybackStarted}: the fetch runs off the lock,
	 * then the playback lasts as long as the WAV, or fails (PlaybackFinished, state failed) when it could not be had.
	 */
	private void fetchThenPlay(PbxPlayback playback, String uri) {
		var index = playback.index;
		Thread.ofVirtual().name("sim-media-fetch").start(() -> {
			var millis = mediaCache.durationMillis(uri.substring("sound:".length()));
			synchronized (this) {
				if (closed || playbacks.get(playback.id) != playback || playback.index != index) {
					return;
				}
				if (millis.isEmpty()) {
					playback.state = "failed";
					playbackEvent("PlaybackFinished", playback);
					removePlayback(playback);
					return;
				}
				playback.timer = later(millis.getAsLong(), () -> playbackItemDone(playback));
			}
		});
	}

	/** Every request the media cache made for {@code sound:http://…} playbacks, oldest first. */
	List<MediaCache.Fetch> mediaFetches() {
		return mediaCache.fetches();
	}

	private void playbackItemDone(PbxPlayback playback) {
		if (!playbacks.containsKey(playback.id)) {
			return;
		}
		if (playback.index + 1 < playback.media.size()) {
			playback.state = "continuing";
			playbackEvent("PlaybackContinuing", playback);
			playback.index++;
			startPlayback(playback);
			return;
		}
		playback.state = "done";
		playbackEvent("PlaybackFinished", playback);
		removePlayback(playback);
	}

	private void removePlayback(PbxPlayback playback) {
		playbacks.remove(playback.id);
		if (playback.timer != null) {
			playback.timer.cancel(false);
		}
		Deque<PbxPlayback> queue = playbackQueues.get(playback.targetId);
		if (queue == null) {
			return;
		}
		boolean wasCurrent = queue.peekFirst() == playback;
		queue.remove(playback);
		if (wasCurrent && !queue.isEmpty()) {
			startPlayback(queue.peekFirst());
		}
	}

	synchronized ObjectNode playback(String playbackId) {
		PbxPlayback playback = playbacks.get(playbackId);
		if (playback == null) {
			throw AriError.of(404, "Playback not found");
		}
		return playback.snapshot();
	}

	synchronized void stopPlayback(String playbackId) {
		PbxPlayback playback = playbacks.get(playbackId);
		if (playback == null) {
			throw AriError.of(404, "Playback not found");
		}
		if (!"queued".equals(playback.state)) {
			playback.state = "done";
			playbackEvent("PlaybackFinished", playback);
		}
		removePlayback(playback);
	}

	synchronized void controlPlayback(String playbackId, String operation) {
		PbxPlayback playback = playbacks.get(playbackId);
		if (playback == null) {
			throw AriError.of(404, "Playback not found");
		}
		switch (operation) {
			case "pause" -> playback.state = "paused";
			case "unpause" -> playback.state = "playing";
			case "restart", "reverse", "forward" -> {
			}
			default -> throw AriError.of(400, "Invalid operation " + operation);
		}
	}

	private void stopMediaOf(String targetId) {
		Deque<PbxPlayback> queue = playbackQueues.remove(targetId);
		if (queue != null) {
			PbxPlayback current = queue.peekFirst();
			queue.forEach(playback -> {
				playbacks.remove(playback.id);
				if (playback.timer != null) {
					playback.timer.cancel(false);
				}
			});
			if (current != null && !"queued".equals(current.state)) {
				current.state = "done";
				playbackEvent("PlaybackFinished", current);
			}
		}
		List.copyOf(liveRecordings.values())
			.stream()
			.filter(recording -> recording.targetId.equals(targetId))
			.forEach(recording -> finishRecording(recording, "done", true));
	}

	private boolean mediaExists(String uri) {
		String resource = uri.substring(uri.indexOf(':') + 1);
		if (uri.startsWith("sound:")) {
			return soundExists(resource);
		}
		if (uri.startsWith("recording:")) {
			return storedRecordings.containsKey(resource);
		}
		return true;
	}

	/** Every sound exists except names that say they do not, like the recording's this-sound-does-not-exist. */
	static boolean soundExists(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return !(lower.contains("does-not-exist") || lower.startsWith("no-such") || lower.startsWith("nosuch"));
	}

	/** The simulated length of a media URI in milliseconds; -1 plays until stopped (tones). */
	private long mediaMillis(String uri) {
		String resource = uri.substring(uri.indexOf(':') + 1);
		if (uri.startsWith("tone:")) {
			return -1;
		}
		if (uri.startsWith("recording:")) {
			PbxRecording.Stored stored = storedRecordings.get(resource);
			return stored == null ? 0 : stored.durationMillis();
		}
		if (uri.startsWith("digits:") || uri.startsWith("number:") || uri.startsWith("characters:")) {
			return 500L * Math.max(1, resource.length());
		}
		// Lengths of the Asterisk core sounds the fixtures play, measured in the recording.
		return switch (resource) {
			case "hello-world" -> 1400;
			case "beep" -> 425;
			default -> resource.startsWith("silence/") ? silenceMillis(resource) : 1000;
		};
	}

	private static long silenceMillis(String resource) {
		try {
			return Long.parseLong(resource.substring("silence/".length())) * 1000;
		}
		catch (NumberFormatException ex) {
			return 1000;
		}
	}

	private void playbackEvent(String type, PbxPlayback playback) {
		ObjectNode event = head(type);
		event.set("playback", playback.snapshot());
		emit(event, List.of(playback.targetId), false);
	}

	// ---------------------------------------------------------------- recordings

	/** The parameters of {@code POST /channels/{id}/record} and {@code POST /bridges/{id}/record}. */
	record Record(@Nullable String name, @Nullable String format, int maxDurationSeconds, String ifExists) {
	}

	synchronized ObjectNode record(boolean ofBridge, String targetId, Record request) {
		if (ofBridge) {
			bridgeFound(targetId);
		}
		else {
			inStasis(targetId);
		}
		String name = request.name();
		if (name == null || name.isEmpty()) {
			throw AriError.missing("name");
		}
		String format = request.format();
		if (format == null || !RECORDING_FORMATS.contains(format)) {
			throw AriError.of(422, "specified format is unknown on this system");
		}
		if (!Set.of("fail", "overwrite", "append").contains(request.ifExists())) {
			throw AriError.of(400, "ifExists invalid");
		}
		if (liveRecordings.containsKey(name)) {
			throw AriError.of(409, "Recording with the same name already in progress");
		}
		if (storedRecordings.containsKey(name) && "fail".equals(request.ifExists())) {
			throw AriError.of(422, "Recording already exists");
		}
		PbxRecording recording = new PbxRecording(name, format, (ofBridge ? "bridge:" : "channel:") + targetId,
				targetId, !"fail".equals(request.ifExists()));
		liveRecordings.put(name, recording);
		ObjectNode response = recording.snapshot();
		recording.state = "recording";
		recording.startedNanos = System.nanoTime();
		ObjectNode event = head("RecordingStarted");
		event.set("recording", recording.snapshot());
		emit(event, List.of(targetId), false);
		if (request.maxDurationSeconds() > 0) {
			recording.timer = later(request.maxDurationSeconds() * 1000L,
					() -> finishRecording(recording, "done", true));
		}
		return response;
	}

	private void finishRecording(PbxRecording recording, String state, boolean keep) {
		if (liveRecordings.get(recording.name) != recording) {
			return;
		}
		liveRecordings.remove(recording.name);
		if (recording.timer != null) {
			recording.timer.cancel(false);
		}
		long simulatedMillis = (long) ((System.nanoTime() - recording.startedNanos) / 1_000_000.0
				/ settings.timeScale());
		recording.state = state;
		ObjectNode snapshot = recording.snapshot();
		// Asterisk reports whole seconds.
		snapshot.put("duration", simulatedMillis / 1000);
		ObjectNode event = head("RecordingFinished");
		event.set("recording", snapshot);
		emit(event, List.of(recording.targetId), false);
		if (keep) {
			storedRecordings.put(recording.name,
					new PbxRecording.Stored(recording.name, recording.format, simulatedMillis));
		}
	}

	synchronized ObjectNode liveRecording(String name) {
		PbxRecording recording = liveRecordings.get(name);
		if (recording == null) {
			throw AriError.of(404, "Recording not found");
		}
		return recording.snapshot();
	}

	synchronized void stopRecording(String name, boolean keep) {
		PbxRecording recording = liveRecordings.get(name);
		if (recording == null) {
			throw AriError.of(404, "Recording not found");
		}
		finishRecording(recording, keep ? "done" : "canceled", keep);
	}

	synchronized void pauseRecording(String name, boolean pause) {
		PbxRecording recording = liveRecordings.get(name);
		if (recording == null) {
			throw AriError.of(404, "Recording not found");
		}
		recording.state = pause ? "paused" : "recording";
	}

	synchronized ArrayNode storedRecordings() {
		ArrayNode list = Json.array();
		storedRecordings.values().forEach(stored -> list.add(stored.snapshot()));
		return list;
	}

	synchronized PbxRecording.Stored storedRecording(String name) {
		PbxRecording.Stored stored = storedRecordings.get(name);
		if (stored == null) {
			throw AriError.of(404, "Recording not found");
		}
		return stored;
	}

	synchronized void deleteStoredRecording(String name) {
		if (storedRecordings.remove(name) == null) {
			throw AriError.of(404, "Recording not found");
		}
	}

	// ---------------------------------------------------------------- events

	private ObjectNode head(String type) {
		return Json.object().put("type", type).put("timestamp", Json.now());
	}

	private void channelEvent(String type, PbxChannel channel) {
		ObjectNode event = head(type);
		if ("ChannelCallerId".equals(type)) {
			event.put("caller_presentation", 0).put("caller_presentation_txt", "Presentation Allowed, Not Screened");
		}
		event.set("channel", channel.snapshot());
		emit(event, List.of(channel.id), false);
	}

	private void dialplanEvent(PbxChannel channel) {
		ObjectNode event = head("ChannelDialplan").put("dialplan_app", channel.appName)
			.put("dialplan_app_data", channel.appData);
		event.set("channel", channel.snapshot());
		emit(event, List.of(channel.id), false);
	}

	private void varset(PbxChannel channel, String variable, String value) {
		ObjectNode event = Json.object().put("variable", variable).put("value", value);
		event.put("type", "ChannelVarset").put("timestamp", Json.now());
		event.set("channel", channel.snapshot());
		emit(event, List.of(channel.id), false);
	}

	private void dialEvent(PbxChannel peer, String status) {
		// Originate-generated Dial events name only the dialled channel (peer), never a caller.
		ObjectNode event = head("Dial").put("dialstatus", status).put("forward", "").put("dialstring",
				peer.dialstring);
		event.set("peer", peer.snapshot());
		emit(event, List.of(peer.id), false);
	}

	private void deviceState(String device, String state) {
		ObjectNode event = Json.object()
			.put("type", "DeviceStateChanged")
			.put("application", "")
			.put("timestamp", Json.now());
		event.putObject("device_state").put("name", device).put("state", state);
		event.put("asterisk_id", ASTERISK_ID);
		emit(event, List.of(), true);
	}

	/**
	 * Sends an event to every connected application that sees it: all of them with subscribeAll, otherwise those
	 * subscribed to one of the entities it is about. Device states go to subscribeAll applications only.
	 */
	private void emit(ObjectNode event, Collection<String> entities, boolean deviceState) {
		if (closed) {
			return;
		}
		if (!event.has("asterisk_id")) {
			event.put("asterisk_id", ASTERISK_ID).put("application", "");
		}
		for (Map.Entry<String, AppSession> entry : sessions.entrySet()) {
			String app = entry.getKey();
			AppSession session = entry.getValue();
			boolean subscribed = !deviceState && entities.stream()
				.anyMatch(subscriptions.getOrDefault(app, Set.of())::contains);
			if (session.subscribeAll || subscribed) {
				ObjectNode copy = event.deepCopy();
				copy.put("application", app);
				session.sink.send(Json.string(copy));
			}
		}
	}

	// ---------------------------------------------------------------- time

	private void after(PbxChannel channel, long simulatedMillis, Runnable action) {
		channel.timers.removeIf(Future::isDone);
		channel.timers.add(later(simulatedMillis, () -> {
			if (channel.alive()) {
				action.run();
			}
		}));
	}

	private Future<?> later(long simulatedMillis, Runnable action) {
		if (closed) {
			return CompletableFuture.completedFuture(null);
		}
		long nanos = (long) (simulatedMillis * 1_000_000.0 * settings.timeScale());
		return timers.schedule(() -> {
			synchronized (this) {
				if (!closed) {
					action.run();
				}
			}
		}, nanos, TimeUnit.NANOSECONDS);
	}
}

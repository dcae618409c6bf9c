package io.voxdesk.asterisk.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.generated.models.Channel;
import ch.loway.oss.ari4java.generated.models.ChannelDestroyed;
import ch.loway.oss.ari4java.generated.models.ChannelHold;
import ch.loway.oss.ari4java.generated.models.ChannelUnhold;
import ch.loway.oss.ari4java.generated.models.Dial;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.generated.models.RecordingFinished;
import ch.loway.oss.ari4java.generated.models.StasisStart;
import ch.loway.oss.ari4java.tools.RestException;

import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.OutboundCall;
import io.voxdesk.calls.ProviderCallEvent;
import io.voxdesk.calls.ProviderCallEvent.Type;
import io.voxdesk.calls.ProviderConnection;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.tenants.TenantContext;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The click-to-call flow on Asterisk: the agent's endpoint is originated into the Stasis application; when it
 * answers (it enters Stasis) the customer is originated with the agent's channel as originator; when the customer
 * answers both join a mixing bridge, recorded if the tenant wants; when either leg ends the other is hung up and
 * the bridge destroyed. Every step is reported to the calls module as a normalized event.
 */
@Component
class AriCallFlow implements AriSession.Listener {

	private static final Logger log = LoggerFactory.getLogger(AriCallFlow.class);

	/** Long enough for an hour of 8 kHz audio (57 MB) on a slow link. */
	private static final Duration RECORDING_TIMEOUT = Duration.ofMinutes(5);

	private final CallManagement calls;

	private final TenantContext context;

	private final AsteriskSettings settings;

	private final ExecutorService recordings = Executors.newFixedThreadPool(2,
			Thread.ofPlatform().name("ari-recordings-", 0).daemon().factory());

	private final HttpClient recordingHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** Calls whose customer was sent elsewhere: the agent's leg ending must not hang them up any more. */
	private final java.util.Set<CallId> transferred = ConcurrentHashMap.newKeySet();

	/** The last Dial status per channel: Asterisk puts the real reason there when the cause is 0. */
	private final Map<String, String> dialStatus = new ConcurrentHashMap<>();

	AriCallFlow(CallManagement calls, TenantContext context, AsteriskSettings settings) {
		this.calls = calls;
		this.context = context;
		this.settings = settings;
	}

	/** Rings the agent's extension; the rest of the call follows from its events. */
	String originate(AriSession session, OutboundCall call) {
		var connection = session.connection();
		var legs = new Legs(call.call());
		var endpoint = connection.setting("agentEndpoint").replace("{extension}", call.agentExtension());
		try {
			var request = session.ari()
				.channels()
				.originateWithId(legs.agentChannel(), endpoint)
				.setApp(connection.setting("application"))
				.setAppArgs("voxdesk,agent," + call.call())
				.setCallerId("\"" + call.number() + "\" <" + call.number() + ">")
				.setTimeout(ringSeconds(connection, "agentRingSeconds", settings.agentRingSeconds()))
				.setVariables(agentVariables(endpoint, call));
			acceptedOriginate(legs.call(), request::execute);
			return legs.agentChannel();
		}
		catch (RestException ex) {
			throw refused("ring extension " + call.agentExtension(), ex);
		}
	}

	/**
	 * The agent leg's variables. The SIP header that lets the webphone answer its own click-to-call by itself is
	 * set only on PJSIP endpoints: {@code PJSIP_HEADER} exists for no other technology, and Asterisk logs an error
	 * for it on every call elsewhere (a Local channel, say).
	 */
	static Map<String, String> agentVariables(String endpoint, OutboundCall call) {
		var id = call.call().toString();
		return endpoint.regionMatches(true, 0, "PJSIP/", 0, 6)
				? Map.of("VOXDESK_CALL_ID", id, "PJSIP_HEADER(add,X-Voxdesk-Call-Id)", id)
				: Map.of("VOXDESK_CALL_ID", id);
	}

	@Override
	public void onEvent(AriSession session, Message message) {
		try {
			if (message instanceof StasisStart start) {
				entered(session, start);
			}
			else if (message instanceof Dial dial && dial.getPeer() != null) {
				dialed(session, dial);
			}
			else if (message instanceof ChannelDestroyed destroyed) {
				destroyed(session, destroyed);
			}
			else if (message instanceof RecordingFinished finished && finished.getRecording() != null) {
				var name = finished.getRecording().getName();
				if (name != null && name.startsWith("voxdesk-")) {
					recordings.execute(() -> fetchRecording(session, name));
				}
			}
			else if (message instanceof ChannelHold hold) {
				report(session, hold.getChannel(), Type.HELD, "ChannelHold:" + hold.getTimestamp().getTime(),
						hold.getTimestamp(), null);
			}
			else if (message instanceof ChannelUnhold unhold) {
				report(session, unhold.getChannel(), Type.RESUMED, "ChannelUnhold:" + unhold.getTimestamp().getTime(),
						unhold.getTimestamp(), null);
			}
		}
		catch (Exception ex) {
			// Netty's connect exceptions escape ari4java undeclared; one bad event must not stop the others.
			log.error("ARI connection {}: handling {} failed", session.connection().id(), message.getType(), ex);
		}
	}

	private void entered(AriSession session, StasisStart start) {
		var leg = Legs.of(start.getChannel().getId()).orElse(null);
		if (leg == null) {
			return;
		}
		report(session, start.getChannel(), Type.ANSWERED, "StasisStart", start.getTimestamp(), null);
		var legs = leg.legs();
		var ari = session.ari();
		if (leg.leg() == CallLeg.AGENT) {
			ringCustomer(session, ari, legs);
		}
		else {
			bridge(session, ari, legs);
		}
	}

	private void ringCustomer(AriSession session, ARI ari, Legs legs) {
		var connection = session.connection();
		var call = context.callAs(connection.tenant(), () -> calls.find(legs.call())).orElse(null);
		if (call == null || call.status().isFinal()) {
			hangUp(ari, legs.agentChannel());
			return;
		}
		var number = call.number();
		var endpoint = connection.setting("outboundEndpoint")
			.replace("{number}", number.startsWith("+") ? number.substring(1) : number)
			.replace("{e164}", number);
		try {
			var request = ari.channels()
				.originateWithId(legs.customerChannel(), endpoint)
				.setApp(connection.setting("application"))
				.setAppArgs("voxdesk,customer," + legs.call())
				.setOriginator(legs.agentChannel())
				.setTimeout(ringSeconds(connection, "customerRingSeconds", settings.customerRingSeconds()))
				.setVariables(Map.of("VOXDESK_CALL_ID", legs.call().toString()));
			acceptedOriginate(legs.call(), request::execute);
		}
		catch (RestException ex) {
			log.warn("Call {}: the PBX refused to dial the customer: {}", legs.call(), AriSession.describe(ex));
			apply(connection, new ProviderCallEvent(legs.call(), "ari:originate-refused:" + legs.customerChannel(),
					Type.ENDED, CallLeg.CUSTOMER, Instant.now(), legs.customerChannel(),
					new HangupCause(null, "PBX refused: " + reason(ex), CallOutcome.FAILED), null));
			hangUp(ari, legs.agentChannel());
		}
	}

	private void bridge(AriSession session, ARI ari, Legs legs) {
		try {
			ari.bridges().createWithId(legs.bridge()).setType("mixing").setName("voxdesk-" + legs.call()).execute();
			ari.bridges().addChannel(legs.bridge(), legs.agentChannel() + "," + legs.customerChannel()).execute();
			if (Boolean.parseBoolean(session.connection().settings().getOrDefault("recording", "false"))) {
				ari.bridges()
					.record(legs.bridge(), legs.recording(), "wav")
					.setIfExists("overwrite")
					.setBeep(false)
					.execute();
			}
		}
		catch (RestException ex) {
			log.warn("Call {}: bridging the legs failed: {}; hanging up", legs.call(), AriSession.describe(ex));
			hangUp(ari, legs.customerChannel());
			hangUp(ari, legs.agentChannel());
		}
	}

	/**
	 * Copies a finished recording from the PBX into Voxdesk's store, then deletes it on the PBX. Runs beside the
	 * event thread, so a large file does not hold up the connection's other events.
	 */
	private void fetchRecording(AriSession session, String name) {
		try {
			var call = CallId.parse(name.substring("voxdesk-".length()));
			var ari = session.ari();
			var audio = storedFile(session.connection(), name);
			context.runAs(session.connection().tenant(), () -> {
				try {
					calls.attachRecording(call, "wav", new ByteArrayInputStream(audio));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			ari.recordings().deleteStored(name).execute();
			log.info("Call {}: recording stored ({} bytes)", call, audio.length);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			log.warn("Fetching recording {} was interrupted", name);
		}
		catch (Exception ex) {
			log.warn("Fetching recording {} failed: {}", name, AriSession.describe(ex));
		}
	}

	/**
	 * The stored recording's file, fetched with the JDK's HTTP client rather than ari4java: ari4java 0.18 reads an
	 * answer's body after handing its connection back to the pool (see {@link #acceptedOriginate}), so a recording
	 * could come back with another request's body, another call's recording included.
	 */
	private byte[] storedFile(ProviderConnection connection, String name) throws IOException, InterruptedException {
		var request = AriHttp.request(connection, "/recordings/stored/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
				+ "/file")
			.timeout(RECORDING_TIMEOUT)
			.GET()
			.build();
		var response = recordingHttp.send(request, HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IOException("the PBX answered HTTP " + response.statusCode());
		}
		return response.body();
	}

	private void dialed(AriSession session, Dial dial) {
		var peer = dial.getPeer().getId();
		var leg = Legs.of(peer).orElse(null);
		if (leg == null || dial.getDialstatus() == null || dial.getDialstatus().isEmpty()) {
			return;
		}
		dialStatus.put(peer, dial.getDialstatus());
		if ("RINGING".equals(dial.getDialstatus())) {
			report(session, dial.getPeer(), Type.RINGING, "Dial:RINGING", dial.getTimestamp(), null);
		}
	}

	private void destroyed(AriSession session, ChannelDestroyed destroyed) {
		var channel = destroyed.getChannel();
		var leg = Legs.of(channel.getId()).orElse(null);
		if (leg == null) {
			return;
		}
		var cause = Q850.cause(destroyed.getCause(), destroyed.getCause_txt(), dialStatus.remove(channel.getId()));
		report(session, channel, Type.ENDED, "ChannelDestroyed", destroyed.getTimestamp(), cause);
		if (transferred.contains(leg.legs().call())) {
			if (leg.leg() == CallLeg.CUSTOMER) {
				transferred.remove(leg.legs().call());
			}
			return;
		}
		if (session.state() == AriSession.State.CONNECTED) {
			var ari = session.ari();
			hangUp(ari, leg.other());
			destroyBridge(ari, leg.legs());
		}
	}

	/**
	 * Blind transfer: the customer's channel leaves the bridge for the destination (an extension through the agent
	 * endpoint template, anything longer through the outbound one), then the agent's leg is hung up.
	 */
	void transfer(AriSession session, CallId call, String destination) {
		var connection = session.connection();
		var digits = destination.startsWith("+") ? destination.substring(1) : destination;
		var endpoint = digits.length() <= 6 && !destination.startsWith("+")
				? connection.setting("agentEndpoint").replace("{extension}", digits)
				: connection.setting("outboundEndpoint").replace("{number}", digits).replace("{e164}", "+" + digits);
		var legs = new Legs(call);
		var ari = session.ari();
		transferred.add(call);
		try {
			ari.channels().redirect(legs.customerChannel(), endpoint).execute();
		}
		catch (RestException ex) {
			transferred.remove(call);
			throw refused("transfer the call to " + destination, ex);
		}
		hangUp(ari, legs.agentChannel());
		destroyBridge(ari, legs);
	}

	/** Ends every leg of the call that is still up. */
	void hangUp(AriSession session, CallId call) {
		var ari = session.ari();
		var legs = new Legs(call);
		hangUp(ari, legs.customerChannel());
		hangUp(ari, legs.agentChannel());
		destroyBridge(ari, legs);
	}

	/**
	 * After (re)connecting: Asterisk does not replay events missed while the socket was down, so the open calls are
	 * compared with the channels the PBX still has. A call with no channel left is settled, its end estimated as
	 * the moment the socket was lost (or, after a restart of Voxdesk, its last news); a call with one leg left has
	 * that leg hung up (its end then arrives as an event). The channels still up are subscribed to again: an
	 * application's subscriptions outlive its sockets, but anyone connected under the same application name may have
	 * removed them, and without them Asterisk sends nothing more about those calls.
	 */
	@Override
	public void onConnected(AriSession session) {
		var connection = session.connection();
		try {
			var open = context.callAs(connection.tenant(), () -> calls.openCalls(connection.id()));
			if (open.isEmpty()) {
				return;
			}
			var ari = session.ari();
			var live = new HashSet<String>();
			for (var channel : ari.channels().list().execute()) {
				live.add(channel.getId());
			}
			var lostAt = session.lostAt();
			var recording = Boolean.parseBoolean(connection.settings().getOrDefault("recording", "false"));
			var subscribed = 0;
			for (var call : open) {
				var legs = new Legs(call.id());
				var agentUp = live.contains(legs.agentChannel());
				var customerUp = live.contains(legs.customerChannel());
				var answeredWithALegGone = call.answeredAt() != null && agentUp != customerUp;
				if (!agentUp && !customerUp || answeredWithALegGone) {
					// The conversation ended while the socket was down, when is unknown: the estimate is the moment the
					// socket was lost. The leg still up is hung up below; its later end does not move that estimate.
					var reason = "The call ended while Voxdesk was disconnected from the PBX; its end was never reported.";
					context.runAs(connection.tenant(), () -> {
						if (lostAt == null) {
							calls.settleLost(call.id(), reason);
						}
						else {
							calls.settleLost(call.id(), reason, lostAt);
						}
					});
				}
				if (!agentUp && !customerUp) {
					// The call's bridge outlives its channels, and with it the bridge's recording, still running on the
					// PBX. Destroying the bridge ends the recording, whose RecordingFinished then brings it home as
					// usual; a PBX that restarted has no bridge, only what it stored before, which is fetched directly.
					if (!destroyBridge(ari, legs) && recording) {
						recordings.execute(() -> fetchRecording(session, legs.recording()));
					}
					continue;
				}
				for (var channel : new String[] { legs.agentChannel(), legs.customerChannel() }) {
					if (live.contains(channel)) {
						ari.applications().subscribe(connection.setting("application"), "channel:" + channel).execute();
						subscribed++;
					}
				}
				if (answeredWithALegGone) {
					hangUp(ari, agentUp ? legs.agentChannel() : legs.customerChannel());
				}
			}
			log.info("ARI connection {} reconciled {} open calls ({} channels subscribed again)", connection.id(),
					open.size(), subscribed);
		}
		catch (Exception ex) {
			log.warn("ARI connection {}: reconciling open calls failed: {}", connection.id(), AriSession.describe(ex));
		}
	}

	private void report(AriSession session, Channel channel, Type type, String what, @Nullable Date at,
			@Nullable HangupCause cause) {
		Legs.of(channel.getId())
			.ifPresent(leg -> apply(session.connection(),
					new ProviderCallEvent(leg.legs().call(), "ari:" + what + ":" + channel.getId(), type, leg.leg(),
							at == null ? Instant.now() : at.toInstant(), channel.getId(), cause, null)));
	}

	/**
	 * Hands the event in without waiting for its commit: this socket's next events must not queue behind it (they
	 * are applied in the order handed in). An event lost to a crash is recovered by the reconciliation on reconnect.
	 */
	private void apply(ProviderConnection connection, ProviderCallEvent event) {
		context.callAs(connection.tenant(), () -> calls.submit(event)).whenComplete((changed, failure) -> {
			if (failure != null) {
				log.error("ARI connection {}: {} for call {} could not be applied", connection.id(), event.key(),
						event.call(), failure);
			}
		});
	}

	private static void hangUp(ARI ari, String channel) {
		try {
			ari.channels().hangup(channel).setReason("normal").execute();
		}
		catch (RestException ex) {
			if (ex.getCode() != 404) {
				log.warn("Hanging up channel {} failed: {}", channel, AriSession.describe(ex));
			}
		}
	}

	/** Destroys the call's bridge; whether there was one. */
	private static boolean destroyBridge(ARI ari, Legs legs) {
		try {
			ari.bridges().destroy(legs.bridge()).execute();
			return true;
		}
		catch (RestException ex) {
			if (ex.getCode() != 404) {
				log.warn("Destroying bridge {} failed: {}", legs.bridge(), AriSession.describe(ex));
			}
			return false;
		}
	}

	private static int ringSeconds(ProviderConnection connection, String setting, int fallback) {
		var value = connection.settings().get(setting);
		return value == null ? fallback : Integer.parseInt(value);
	}

	static ProviderException refused(String what, RestException ex) {
		return new ProviderException("The PBX could not " + what + ": " + reason(ex), ex);
	}

	/** Asterisk's own words: {@code {"message": …}}, or {@code {"error": …}} for allocation failures. */
	static String reason(RestException ex) {
		var body = ex.getResponse();
		if (body != null) {
			var matcher = java.util.regex.Pattern.compile("\"(?:message|error)\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
			if (matcher.find()) {
				return matcher.group(1) + (ex.getCode() > 0 ? " (HTTP " + ex.getCode() + ")" : "");
			}
		}
		return AriSession.describe(ex);
	}

	/** An ARI request whose answer Voxdesk does not read. */
	@FunctionalInterface
	interface AriRequest {

		Object send() throws RestException;
	}

	/**
	 * Sends an originate, whose answer (the new channel) Voxdesk does not need: it chose the channel's id. ari4java
	 * 0.18's synchronous requests hand their pooled connection back before they read the answer's body, so under
	 * load a request on another thread can take the connection and clear the body, or put its own answer there
	 * (about one originate in 2,000 at 100 clicks per second: a missing body, or a hangup's error body that does
	 * not read as a channel). ari4java has checked the status by then, so the PBX accepted the originate; only its
	 * body is lost. A body that cannot be read is taken as the acceptance it is, instead of failing a call that is
	 * ringing; a refusal (a status other than 2xx) still fails it.
	 */
	static void acceptedOriginate(CallId call, AriRequest request) throws RestException {
		try {
			request.send();
		}
		catch (IllegalArgumentException ex) {
			if (ex.getMessage() == null || !ex.getMessage().contains("\"content\" is null")) {
				throw ex;
			}
			log.debug("Call {}: the PBX accepted an originate whose answer ari4java lost", call);
		}
		catch (RestException ex) {
			// ari4java wraps what Jackson could not read; a refusal carries the PBX's status and no cause.
			if (!(ex.getCause() instanceof IOException)) {
				throw ex;
			}
			log.debug("Call {}: the PBX accepted an originate whose answer ari4java mixed up: {}", call, ex.getMessage());
		}
	}
}

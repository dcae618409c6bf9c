package io.voxdesk.asterisk.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioLinks;
import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallTransfer;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.TransferMode;
import io.voxdesk.calls.TransferState;
import io.voxdesk.calls.spi.AgentOffer;
import io.voxdesk.calls.spi.BroadcastReply;
import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.CampaignHandover;
import io.voxdesk.calls.spi.DirectCall;
import io.voxdesk.calls.spi.InboundCall;
import io.voxdesk.calls.spi.InboundRoute;
import io.voxdesk.calls.spi.OfferAnswer;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.QueueTransfer;
import io.voxdesk.calls.spi.TransferRequest;
import io.voxdesk.tenants.TenantContext;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.generated.models.Channel;
import ch.loway.oss.ari4java.generated.models.ChannelDestroyed;
import ch.loway.oss.ari4java.generated.models.ChannelHold;
import ch.loway.oss.ari4java.generated.models.ChannelUnhold;
import ch.loway.oss.ari4java.generated.models.Dial;
import ch.loway.oss.ari4java.generated.models.EndpointStateChange;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.generated.models.PlaybackFinished;
import ch.loway.oss.ari4java.generated.models.RecordingFinished;
import ch.loway.oss.ari4java.generated.models.StasisStart;
import ch.loway.oss.ari4java.tools.RestException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The click-to-call flow on Asterisk: the agent's endpoint is originated into the Stasis application; when it
 * answers (it enters Stasis) the customer is originated with the agent's channel as originator; when the customer
 * answers both join a mixing bridge, recorded if the tenant wants; when either leg ends the other is hung up and
 * the bridge destroyed. Every step is reported to the calls module as a normalized event.
 */
@Component
class AriCallFlow implements AriSession.Listener, MeterBinder, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(AriCallFlow.class);

	/** Long enough for an hour of 8 kHz audio (57 MB) on a slow link. */
	private static final Duration RECORDING_TIMEOUT = Duration.ofMinutes(5);

	private final CallReports calls;

	private final TenantContext context;

	private final AsteriskSettings settings;

	/** How a sound names an item of the tenant's audio library instead of one of the PBX's. */
	static final String LIBRARY_AUDIO = "audio:";

	private final AudioLinks audioLinks;

	private final Environment environment;

	/** Campaign calls' events go there ({@code vx-k…} channels and playbacks), set once at start. */
	private volatile @Nullable AriBroadcasts broadcasts;

	private final ExecutorService recordings = Executors.newFixedThreadPool(2,
			Thread.ofPlatform().name("ari-recordings-", 0).daemon().factory());

	/**
	 * Where inbound callers are recorded, answered and put in their call's bridge with music, off the connection's
	 * event thread, per connection: on that thread a caller whose record waited (their ticket locked by an agent's
	 * transaction) held back every later caller and event of the PBX; one pool for all connections would let one
	 * PBX's waiting arrivals hold back another tenant's. Idle threads end.
	 */
	private final Map<ProviderConnectionId, ThreadPoolExecutor> arrivalThreads = new ConcurrentHashMap<>();

	/** Each connection's arrivals being recorded or held: a reconciliation after a reconnect waits for them. */
	private final Map<ProviderConnectionId, Set<CompletableFuture<Void>>> arriving = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry meters;

	/**
	 * Inbound callers being recorded and held on {@link #arrivalThreads}, by the caller's channel: that channel's later
	 * events (its hangup, say) wait for the arrival and for each other, so they keep the order Asterisk sent them in.
	 */
	private final Map<String, CompletableFuture<?>> lanes = new ConcurrentHashMap<>();

	/** The same, by call: an agent's answer or the caller's release waits for the caller to be held. */
	private final Map<CallId, CompletableFuture<Void>> holding = new ConcurrentHashMap<>();

	/**
	 * The arrivals writing their record now, done once the record committed and its call is noted here (or it
	 * failed). A distribution pass may ring an agent, and the agent's phone answer or reject, the moment the record
	 * commits, before its arrival thread noted the call: whoever meets a call this flow does not know yet waits for
	 * these.
	 */
	private final Set<CompletableFuture<Void>> recording = ConcurrentHashMap.newKeySet();

	/** Plain HTTP for stored recordings, observed like every client of the application. */
	private final RestClient recordingHttp;

	/**
	 * Each call's transfer in progress or completed, which decides what a leg coming or going means: after a
	 * completed transfer the agent's leg ending releases the agent, and the target's ends the conversation.
	 */
	private final Map<CallId, Transfer> transfers = new ConcurrentHashMap<>();

	/** The inbound calls in progress, by their caller's channel (an id Asterisk chose, so {@link Legs} cannot tell). */
	private final Map<String, CallId> arrivals = new ConcurrentHashMap<>();

	/** The same, the other way round: each inbound call's caller channel. */
	private final Map<CallId, String> callers = new ConcurrentHashMap<>();

	/**
	 * Calls an extension's phone placed through the PBX's dialplan ({@code outbound,<number>}), by the phone's
	 * channel: the agent leg of those calls is a channel Asterisk named, not one Voxdesk originated.
	 */
	private final Map<String, CallId> placedBy = new ConcurrentHashMap<>();

	/** The same, the other way round: each such call's phone channel. */
	private final Map<CallId, String> phones = new ConcurrentHashMap<>();

	/**
	 * Calls whose agent transferred the customer to a queue: the agent's leg ending releases the agent and must not
	 * take the customer, who waits as another call now, with it.
	 */
	private final Set<CallId> requeued = ConcurrentHashMap.newKeySet();

	/** The music class of each inbound caller hearing the queue's greeting, which plays once the greeting ends. */
	private final Map<CallId, String> waitingMusic = new ConcurrentHashMap<>();

	/** The offers of each inbound call whose agent leg may still be up. */
	private final Map<CallId, Set<Integer>> offers = new ConcurrentHashMap<>();

	/**
	 * Inbound calls ended lately, and when: an agent leg originated for one of them by a distribution pass that
	 * raced the caller's hangup is hung up at once instead of ringing for nobody. Kept for a minute.
	 */
	private final Map<CallId, Instant> ended = new ConcurrentHashMap<>();

	/** The offer whose agent took each inbound call: that leg ending ends the conversation. */
	private final Map<CallId, Integer> taken = new ConcurrentHashMap<>();

	/**
	 * The agents' phone endpoints' states per connection ({@code <tech>/<resource>} → {@code online}, {@code offline},
	 * {@code unknown}), read when the socket (re)connects and followed through {@code EndpointStateChange}.
	 */
	private final Map<ProviderConnectionId, Map<String, String>> endpoints = new ConcurrentHashMap<>();

	/** The last Dial status per channel: Asterisk puts the real reason there when the cause is 0. */
	private final Map<String, String> dialStatus = new ConcurrentHashMap<>();

	/** Second looks at clicks found without channels while their dial may still have been on its way. */
	private final ScheduledExecutorService secondLooks = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("ari-second-looks").daemon().factory());

	/** After this long no dial of a click can reach the PBX any more: the dialer's window and a relayed request's. */
	private final Duration dialWindow;

	AriCallFlow(CallReports calls, TenantContext context, AsteriskSettings settings, RestClient.Builder builder,
			AudioLinks audioLinks, Environment environment, CallsSettings callsSettings) {
		this.recordingHttp = AriHttp.client(builder, Duration.ofSeconds(5), RECORDING_TIMEOUT);
		this.dialWindow = callsSettings.dialWithin().plus(callsSettings.relayTimeout()).plusSeconds(5);
		this.calls = calls;
		this.context = context;
		this.settings = settings;
		this.audioLinks = audioLinks;
		this.environment = environment;
	}

	/**
	 * The dial string of a customer's number on the connection's trunk: its {@code outboundEndpoint} with
	 * {@code {number}} (digits without '+') or {@code {e164}} replaced.
	 */
	static String customerEndpoint(ProviderConnection connection, String number) {
		var digits = number.startsWith("+") ? number.substring(1) : number;
		return connection.setting("outboundEndpoint").replace("{number}", digits).replace("{e164}", number);
	}

	/** Hands the events of campaign calls to the campaign dialer. */
	void broadcastsTo(AriBroadcasts handler) {
		this.broadcasts = handler;
	}

	/**
	 * The media URI that plays {@code sound}: a sound of the PBX by name, or, for {@code audio:<id>}, the item of the
	 * tenant's audio library through a link signed for this connection, which Asterisk fetches over HTTP and keeps in
	 * its media cache. Empty, and logged, when no link can be made (the item is gone, or no address is known).
	 */
	Optional<String> media(AriSession session, String sound) {
		if (!sound.startsWith(LIBRARY_AUDIO)) {
			return Optional.of("sound:" + sound);
		}
		var connection = session.connection();
		try {
			var audio = AudioId.of(UUID.fromString(sound.substring(LIBRARY_AUDIO.length())));
			var link = context.callAs(connection.tenant(),
					() -> audioLinks.link(audio, "connection:" + connection.id(), mediaBaseUrl(connection)));
			return Optional.of("sound:" + link);
		}
		catch (RuntimeException ex) {
			log.warn("ARI connection {}: cannot play {} from the audio library: {}", connection.id(), sound,
					ex.getMessage());
			return Optional.empty();
		}
	}

	/** Where this connection's PBX reaches Voxdesk: its own setting, else the instance's setting, else loopback. */
	private URI mediaBaseUrl(ProviderConnection connection) {
		var configured = connection.settings().get(AsteriskAdapter.MEDIA_BASE_URL);
		if (configured != null && !configured.isBlank()) {
			return URI.create(configured.strip());
		}
		if (settings.mediaBaseUrl() != null) {
			return settings.mediaBaseUrl();
		}
		var port = environment.getProperty("local.server.port");
		if (port == null) {
			throw new IllegalStateException("no address for the PBX to reach Voxdesk: set the connection's "
					+ AsteriskAdapter.MEDIA_BASE_URL + " or voxdesk.asterisk.media-base-url");
		}
		return URI.create("http://127.0.0.1:" + port);
	}

	/** The connection's arrival threads, made on its first caller. */
	/** Hands work to {@code threads} in the scope bound here: a session's work stays fenced by its lease. */
	private Executor carried(Executor threads) {
		return work -> threads.execute(context.carry(work));
	}

	private ExecutorService arrivalThreadsOf(AriSession session) {
		return arrivalThreads.computeIfAbsent(session.connection().id(), id -> {
			var pool = new ThreadPoolExecutor(settings.arrivalThreads(), settings.arrivalThreads(), 30, TimeUnit.SECONDS,
					new LinkedBlockingQueue<>(), Thread.ofPlatform().name("ari-arrivals-", 0).daemon().factory());
			pool.allowCoreThreadTimeOut(true);
			var registry = meters;
			if (registry != null) {
				new ExecutorServiceMetrics(pool, "voxdesk.asterisk.arrivals", List.of(Tag.of("connection", id.toString())))
					.bindTo(registry);
			}
			return pool;
		});
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		new ExecutorServiceMetrics(recordings, "voxdesk.asterisk.recordings", List.of()).bindTo(registry);
		meters = registry;
	}

	/** Downloads under way stop with Voxdesk, not after it. */
	@Override
	public void destroy() {
		recordings.shutdownNow();
		secondLooks.shutdownNow();
		arrivalThreads.values().forEach(ExecutorService::shutdownNow);
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
			accepted(legs.call(), request::execute);
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
		return agentVariables(endpoint, call.call());
	}

	static Map<String, String> agentVariables(String endpoint, CallId call) {
		var id = call.toString();
		return endpoint.regionMatches(true, 0, "PJSIP/", 0, 6)
				? Map.of("VOXDESK_CALL_ID", id, "PJSIP_HEADER(add,X-Voxdesk-Call-Id)", id)
				: Map.of("VOXDESK_CALL_ID", id);
	}

	/**
	 * Called on the connection's event thread, in the order Asterisk sent the events. A channel entering Stasis that
	 * Voxdesk did not originate (an inbound caller, or something to refuse) is recorded on an arrival thread, and
	 * that channel's later events follow it there, in order.
	 */
	@Override
	public void onEvent(AriSession session, Message message) {
		var campaigns = broadcasts;
		if (campaigns != null && AriBroadcasts.handles(message) && campaigns.onEvent(session, message)) {
			return;
		}
		var channel = channelOf(message);
		var pending = channel == null ? null : lanes.get(channel);
		if (pending != null) {
			var next = pending.whenCompleteAsync((done, failure) -> handle(session, message),
					carried(arrivalThreadsOf(session)));
			lanes.put(channel, next);
			next.whenComplete((done, failure) -> lanes.remove(channel, next));
			return;
		}
		if (channel != null && message instanceof StasisStart start && arriving(start)) {
			var lane = new CompletableFuture<Void>();
			var inFlight = arriving.computeIfAbsent(session.connection().id(), id -> ConcurrentHashMap.newKeySet());
			lanes.put(channel, lane);
			inFlight.add(lane);
			Runnable done = () -> {
				inFlight.remove(lane);
				lanes.remove(channel, lane);
				lane.complete(null);
			};
			try {
				carried(arrivalThreadsOf(session)).execute(() -> {
					try {
						handle(session, message);
					}
					finally {
						done.run();
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: nobody will record the caller; their channel's events need not wait.
				done.run();
			}
			return;
		}
		handle(session, message);
	}

	/**
	 * A channel Voxdesk did not originate, other than an extension's phone placing a call through the dialplan
	 * ({@code outbound,<number>}, which stays on the event thread like the click-to-call legs it starts).
	 */
	private static boolean arriving(StasisStart start) {
		if (Legs.of(start.getChannel().getId()).isPresent()) {
			return false;
		}
		var args = start.getArgs();
		return args == null || args.size() != 2 || !"outbound".equals(args.get(0)) || args.get(1).isBlank();
	}

	/** The channel an event is about, for the events whose order per channel matters here. */
	private static @Nullable String channelOf(Message message) {
		var channel = switch (message) {
			case StasisStart start -> start.getChannel();
			case ChannelDestroyed destroyed -> destroyed.getChannel();
			case ChannelHold hold -> hold.getChannel();
			case ChannelUnhold unhold -> unhold.getChannel();
			default -> null;
		};
		return channel == null ? null : channel.getId();
	}

	private void handle(AriSession session, Message message) {
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
					recordings.execute(context.carry(() -> fetchRecording(session, name)));
				}
			}
			else if (message instanceof EndpointStateChange change && change.getEndpoint() != null) {
				var endpoint = change.getEndpoint();
				endpoints.computeIfAbsent(session.connection().id(), id -> new ConcurrentHashMap<>())
					.put(endpoint.getTechnology() + "/" + endpoint.getResource(), String.valueOf(endpoint.getState()));
			}
			else if (message instanceof PlaybackFinished finished && finished.getPlayback() != null) {
				Legs.releasedBy(finished.getPlayback().getId()).ifPresent(call -> released(session, call));
				Legs.greeted(finished.getPlayback().getId()).ifPresent(call -> greeted(session, call));
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
			arrived(session, start);
			return;
		}
		if (leg.offer()) {
			offerAnswered(session, leg, start.getTimestamp() == null ? Instant.now() : start.getTimestamp().toInstant());
			return;
		}
		var legs = leg.legs();
		if (leg.leg() == CallLeg.AGENT) {
			// Committed before the customer is dialled: an instance that takes the connection over and finds the
			// agent up without a customer leg then knows whether the customer may have been dialled already.
			if (answerCommitted(session, start.getChannel(),
					start.getTimestamp() == null ? Instant.now() : start.getTimestamp().toInstant())) {
				// Asked again after the commit, which may have waited for the database: a session whose lease lapsed
				// meanwhile must not dial.
				ringCustomer(session, session.ari(), legs);
			}
			return;
		}
		var ari = session.ari();
		report(session, start.getChannel(), Type.ANSWERED, "StasisStart", start.getTimestamp(), null);
		switch (leg.leg()) {
			case CUSTOMER -> bridge(session, ari, legs);
			case TARGET -> targetAnswered(session, leg);
			default -> throw new IllegalStateException("unexpected leg " + leg.leg());
		}
	}

	/**
	 * A channel Voxdesk did not originate entered the application: a customer calling one of the tenant's numbers
	 * through {@code Stasis(<app>,inbound,${EXTEN})}, or something the connector cannot read. Either way it gets a
	 * call record. A call Voxdesk refuses (a number nobody routed, unknown arguments) is hung up at once as an
	 * unallocated number (Q.850 cause 1), so nothing is left waiting in Stasis; an accepted one hears ringing until
	 * an agent takes it or the caller gives up.
	 */
	private void arrived(AriSession session, StasisStart start) {
		var connection = session.connection();
		var channel = start.getChannel();
		var args = start.getArgs() == null ? List.<String>of() : start.getArgs();
		if (args.size() == 2 && "outbound".equals(args.get(0)) && !args.get(1).isBlank()) {
			placed(session, start, args.get(1).strip());
			return;
		}
		var inbound = args.size() == 2 && "inbound".equals(args.get(0)) && !args.get(1).isBlank();
		var caller = channel.getCaller();
		var from = caller == null || caller.getNumber() == null ? "" : caller.getNumber();
		var name = caller == null || caller.getName() == null || caller.getName().isBlank() ? null : caller.getName();
		var at = start.getTimestamp() == null ? Instant.now() : start.getTimestamp().toInstant();
		String unrecognised = null;
		if (!inbound) {
			unrecognised = "the PBX sent channel " + channel.getName() + " into Voxdesk's Stasis application with the "
					+ "arguments " + args + ", which Voxdesk does not know; calls for Voxdesk enter it with "
					+ "Stasis(" + connection.setting("application") + ",inbound,${EXTEN}) (see docs/asterisk.md).";
			log.warn("ARI connection {}: channel {} entered Stasis with unknown arguments {}; refusing it",
					connection.id(), channel.getId(), args);
		}
		var arrival = new InboundCall(connection.id(), channel.getId(), from, name, inbound ? args.get(1).strip() : null,
				at, unrecognised, null);
		var ari = session.ari();
		InboundRoute route;
		var noted = new CompletableFuture<Void>();
		var held = new CompletableFuture<Void>();
		recording.add(noted);
		try {
			route = context.callAs(connection.tenant(), () -> calls.arrived(arrival));
			if (!route.refused()) {
				holding.put(route.call(), held);
				arrivals.put(channel.getId(), route.call());
				callers.put(route.call(), channel.getId());
			}
		}
		catch (RuntimeException ex) {
			// Without a record the call cannot be routed or followed: better a clear failure than a caller left in
			// Stasis.
			log.error("ARI connection {}: inbound channel {} could not be recorded; hanging it up", connection.id(),
					channel.getId(), ex);
			hangUp(ari, channel.getId(), "failure");
			return;
		}
		finally {
			recording.remove(noted);
			noted.complete(null);
		}
		if (route.refused()) {
			hangUp(ari, channel.getId(), "unallocated");
			return;
		}
		try {
			hold(session, channel.getId(), route);
		}
		finally {
			held.complete(null);
			holding.remove(route.call(), held);
		}
	}

	/**
	 * A key of a campaign's menu handed the person on {@code channel} (in Stasis, answered) to a queue or a user:
	 * Voxdesk records them as a waiting inbound call, and from here on they are followed like any caller waiting for
	 * an agent, held in the call's bridge with the queue's greeting and music.
	 *
	 * @throws RuntimeException when the handover could not be recorded (the person is then hung up by the caller).
	 */
	void takeCampaignCall(AriSession session, String channel, BroadcastReply.Handover handover) {
		var connection = session.connection();
		var queued = CallId.random();
		var route = context.callAs(connection.tenant(), () -> calls.campaignHandedOver(new CampaignHandover(
				handover.call(), queued, connection.id(), channel, handover.queue(), handover.user(), Instant.now())));
		arrivals.put(channel, route.call());
		callers.put(route.call(), channel);
		hold(session, channel, route);
	}

	/**
	 * Answers the caller and holds them in the call's bridge with music, as the recording inbound_bridge does, while
	 * Voxdesk rings agents; the first to answer joins the bridge.
	 */
	private void hold(AriSession session, String caller, InboundRoute route) {
		var ari = session.ari();
		var legs = new Legs(route.call());
		try {
			ari.channels().answer(caller).execute();
			var bridge = ari.bridges().createWithId(legs.bridge()).setType("mixing").setName("voxdesk-" + route.call());
			accepted(route.call(), bridge::execute);
			ari.bridges().addChannel(legs.bridge(), caller).execute();
			var greeting = route.greeting() == null ? Optional.<String>empty() : media(session, route.greeting());
			if (greeting.isPresent()) {
				// The greeting first, the music once it finished (PlaybackFinished, see greeted).
				waitingMusic.put(route.call(), Objects.requireNonNullElse(route.musicClass(), "default"));
				var playback = ari.bridges().playWithId(legs.bridge(), legs.greetingPlayback(), greeting.get());
				accepted(route.call(), playback::execute);
			}
			else {
				ari.bridges().startMoh(legs.bridge()).setMohClass(route.musicClass()).execute();
			}
		}
		catch (RestException ex) {
			// 404: the caller is gone already; their ChannelDestroyed settles the call.
			log.debug("Inbound call {}: holding the caller failed: {}", route.call(), AriSession.describe(ex));
		}
		catch (RuntimeException ex) {
			// ari4java lets some transport failures escape undeclared (an empty answer, Netty's exceptions): logged,
			// as on the event thread, and the caller's end still settles the call.
			log.warn("Inbound call {}: holding the caller failed: {}", route.call(), AriSession.describe(ex));
		}
	}

	/**
	 * Waits (a few seconds at most) until the caller of {@code call} is held in the call's bridge: an agent may answer
	 * (a phone set to answer at once) before the hold thread is done.
	 */
	private void awaitHeld(CallId call) {
		var held = holding.get(call);
		if (held == null) {
			return;
		}
		try {
			held.get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			log.debug("Inbound call {}: the caller's arrival did not finish in time: {}", call, ex.toString());
		}
	}

	/**
	 * Waits (5 s at most) until {@code call} is noted here, when an arrival writing its record now may be the one
	 * that has it: its record may have committed a moment ago, on an arrival thread that has not noted it yet. Called
	 * before an agent is rung or a caller let go, never on the event thread: the agent's answer or rejection, and the
	 * caller's release, then find the call known. Returns at once for a call known here, gone, moved to another
	 * queue, or with no arrival being recorded.
	 */
	private void awaitNoted(CallId call) {
		var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!callers.containsKey(call) && !ended.containsKey(call) && !requeued.contains(call)) {
			// Each arrival leaves the set before it completes, so one that completed is not waited for again.
			var pending = recording.toArray(CompletableFuture[]::new);
			var left = deadline - System.nanoTime();
			if (pending.length == 0 || left <= 0) {
				return;
			}
			try {
				CompletableFuture.anyOf(pending).get(left, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (ExecutionException | TimeoutException ex) {
				log.debug("Inbound call {}: the arrivals being recorded did not note it in time: {}", call, ex.toString());
				return;
			}
		}
	}

	/**
	 * Waits (10 s at most) for the connection's arrivals being recorded or held: a reconciliation after a reconnect
	 * that did not see an arrival's record would leave it open if its caller left while the socket was down.
	 */
	private void awaitArrivals(ProviderConnectionId connection) {
		var pending = arriving.getOrDefault(connection, Set.of()).toArray(CompletableFuture[]::new);
		if (pending.length == 0) {
			return;
		}
		try {
			CompletableFuture.allOf(pending).get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			log.warn("ARI connection {}: reconciling before {} arrivals being recorded finished: {}", connection,
					pending.length, ex.toString());
		}
	}

	/**
	 * An extension's phone dialled a number and the PBX's dialplan sent the call to Voxdesk with
	 * {@code Stasis(<app>,outbound,<number>)}: recorded as an outbound call of the extension's user, then placed
	 * like a click-to-call whose agent already answered (the phone hears ringing until the customer answers, then
	 * both join the call's bridge). A phone whose extension no user of the tenant has is refused (cause 21), so no
	 * call passes through Voxdesk without a record.
	 */
	private void placed(AriSession session, StasisStart start, String number) {
		var connection = session.connection();
		var channel = start.getChannel();
		var extension = extensionOf(connection.setting("agentEndpoint"), channel);
		var at = start.getTimestamp() == null ? Instant.now() : start.getTimestamp().toInstant();
		var ari = session.ari();
		Optional<CallId> recorded;
		try {
			recorded = extension.isEmpty() ? Optional.empty()
					: context.callAs(connection.tenant(), () -> calls.placedDirectly(new DirectCall(connection.id(),
							channel.getId(), extension, number, at)));
		}
		catch (RuntimeException ex) {
			log.error("ARI connection {}: the call of channel {} could not be recorded; hanging it up",
					connection.id(), channel.getId(), ex);
			hangUp(ari, channel.getId(), "failure");
			return;
		}
		if (recorded.isEmpty()) {
			log.warn("ARI connection {}: channel {} sent an outbound call into Stasis, but no user of the tenant has "
					+ "extension '{}'; refusing it", connection.id(), channel.getId(), extension);
			hangUp(ari, channel.getId(), "rejected");
			return;
		}
		var call = recorded.get();
		placedBy.put(channel.getId(), call);
		phones.put(call, channel.getId());
		apply(connection, new ProviderCallEvent(call, "ari:StasisStart:" + channel.getId(), Type.ANSWERED,
				CallLeg.AGENT, at, channel.getId(), null, null));
		try {
			ari.channels().ring(channel.getId()).execute();
		}
		catch (RestException ex) {
			log.debug("Call {}: ringing back to the phone failed: {}", call, AriSession.describe(ex));
		}
		ringCustomer(session, ari, new Legs(call));
	}

	/**
	 * The extension of a phone's channel: its endpoint when the channel's name matches the connection's agent
	 * endpoint template ({@code PJSIP/{extension}} names the channel {@code PJSIP/1001-0000002a}), else its caller ID
	 * number; empty when neither is there.
	 */
	static String extensionOf(String agentEndpoint, Channel channel) {
		var name = channel.getName() == null ? "" : channel.getName();
		var placeholder = agentEndpoint.indexOf("{extension}");
		var dash = name.lastIndexOf('-');
		if (placeholder >= 0 && dash > 0) {
			var prefix = agentEndpoint.substring(0, placeholder);
			var suffix = agentEndpoint.substring(placeholder + "{extension}".length());
			var endpoint = name.substring(0, dash);
			if (endpoint.regionMatches(true, 0, prefix, 0, prefix.length()) && endpoint.endsWith(suffix)
					&& endpoint.length() > prefix.length() + suffix.length()) {
				return endpoint.substring(prefix.length(), endpoint.length() - suffix.length());
			}
		}
		var caller = channel.getCaller();
		return caller == null || caller.getNumber() == null ? "" : caller.getNumber().strip();
	}

	/** The agent's channel of a call: the phone's own, for a call it placed through the dialplan. */
	private String agentChannelOf(Legs legs) {
		return phones.getOrDefault(legs.call(), legs.agentChannel());
	}

	/** The leg a channel is: one Voxdesk named, or the phone of a call placed through the dialplan. */
	private Optional<Legs.Leg> legOf(String channel) {
		return Legs.of(channel).or(() -> Optional.ofNullable(placedBy.get(channel))
			.map(call -> new Legs.Leg(new Legs(call), CallLeg.AGENT, 0)));
	}

	/**
	 * Moves the customer of an answered call into the queued call's own bridge (adding a channel that is in another
	 * bridge moves it, as for an attended transfer) with the queue's greeting or music, follows their line as that
	 * call's caller from now on, then hangs the agent's leg up; the old bridge goes with its recording.
	 */
	String transferToQueue(AriSession session, QueueTransfer transfer) {
		var ari = session.ari();
		var from = new Legs(transfer.call());
		var to = new Legs(transfer.queued());
		var inbound = callers.containsKey(transfer.call());
		var customer = customerChannelOf(transfer.call());
		var offer = taken.get(transfer.call());
		var agent = inbound && offer != null ? from.offerChannel(offer) : agentChannelOf(from);
		try {
			ari.bridges().createWithId(to.bridge()).setType("mixing").setName("voxdesk-" + transfer.queued()).execute();
			ari.bridges().addChannel(to.bridge(), customer).execute();
		}
		catch (RestException ex) {
			destroyBridge(ari, to);
			throw refused("move the customer to the queue", ex);
		}
		// From here on the customer's line is the queued call's: its end ends that call, not this one.
		requeued.add(transfer.call());
		if (inbound) {
			callers.remove(transfer.call());
			taken.remove(transfer.call());
		}
		arrivals.put(customer, transfer.queued());
		callers.put(transfer.queued(), customer);
		try {
			var greeting = transfer.greeting() == null ? Optional.<String>empty() : media(session, transfer.greeting());
			if (greeting.isPresent()) {
				waitingMusic.put(transfer.queued(), transfer.musicClass());
				ari.bridges().playWithId(to.bridge(), to.greetingPlayback(), greeting.get()).execute();
			}
			else {
				ari.bridges().startMoh(to.bridge()).setMohClass(transfer.musicClass()).execute();
			}
		}
		catch (RestException ex) {
			log.debug("Call {}: the queue's music for the transferred customer failed: {}", transfer.queued(),
					AriSession.describe(ex));
		}
		hangUp(ari, agent, "normal");
		destroyBridge(ari, from);
		log.info("Call {}: customer moved to queue call {}", transfer.call(), transfer.queued());
		return customer;
	}

	/** Rings an agent for a waiting inbound caller, with the call's id in a SIP header like a click-to-call's. */
	void offer(AriSession session, AgentOffer offer) {
		awaitNoted(offer.call());
		var connection = session.connection();
		var legs = new Legs(offer.call());
		var endpoint = connection.setting("agentEndpoint").replace("{extension}", offer.agentExtension());
		var number = offer.callerNumber().isEmpty() ? "anonymous" : offer.callerNumber();
		var callerId = offer.callerName() == null ? "<" + number + ">"
				: "\"" + offer.callerName().replace("\"", "") + "\" <" + number + ">";
		offers.computeIfAbsent(offer.call(), call -> ConcurrentHashMap.newKeySet()).add(offer.offer());
		try {
			var request = session.ari()
				.channels()
				.originateWithId(legs.offerChannel(offer.offer()), endpoint)
				.setApp(connection.setting("application"))
				.setAppArgs("voxdesk,offer," + offer.call() + "," + offer.offer())
				.setCallerId(callerId)
				.setTimeout(offer.ringSeconds())
				.setVariables(agentVariables(endpoint, offer.call()));
			accepted(offer.call(), request::execute);
		}
		catch (RestException ex) {
			forgetOffer(offer.call(), offer.offer());
			throw refused("ring extension " + offer.agentExtension(), ex);
		}
		if (ended.containsKey(offer.call())) {
			// The caller hung up while this pass was deciding; their end hung up the offers it knew, not this one.
			hangUp(session.ari(), legs.offerChannel(offer.offer()), "normal");
		}
	}

	/** Stops ringing an agent whose offer Voxdesk withdrew; its end then reports nothing new. */
	void withdraw(AriSession session, CallId call, int offer) {
		hangUp(session.ari(), new Legs(call).offerChannel(offer), "normal");
	}

	/**
	 * Lets a waiting caller go unanswered: the agents still rung stop ringing, the caller hears the goodbye in the
	 * call's bridge, and the end of that playback hangs them up ({@link #released}); without a goodbye, at once.
	 */
	void release(AriSession session, CallId call, @Nullable String message) {
		awaitNoted(call);
		awaitHeld(call);
		var ari = session.ari();
		var legs = new Legs(call);
		for (var offer : Set.copyOf(offers.getOrDefault(call, Set.of()))) {
			hangUp(ari, legs.offerChannel(offer), "normal");
		}
		if (waitingMusic.remove(call) != null) {
			stopPlayback(ari, legs.greetingPlayback());
		}
		var goodbye = message == null ? Optional.<String>empty() : media(session, message);
		if (goodbye.isPresent()) {
			try {
				stopMusic(ari, legs);
				ari.bridges().playWithId(legs.bridge(), legs.releasePlayback(), goodbye.get()).execute();
				return;
			}
			catch (RestException ex) {
				log.debug("Inbound call {}: playing the goodbye failed: {}", call, AriSession.describe(ex));
			}
		}
		released(session, call);
	}

	/** The queue's greeting was played to a waiting caller: the music starts, unless an agent took them meanwhile. */
	private void greeted(AriSession session, CallId call) {
		var music = waitingMusic.remove(call);
		if (music == null || taken.containsKey(call) || !callers.containsKey(call)) {
			return;
		}
		try {
			session.ari().bridges().startMoh(new Legs(call).bridge()).setMohClass(music).execute();
		}
		catch (RestException ex) {
			// 404: the caller's bridge is gone (the caller left, or was let go).
			log.debug("Inbound call {}: starting the music after the greeting failed: {}", call, AriSession.describe(ex));
		}
	}

	/** The goodbye of a caller let go was played: the caller is hung up (their end settles the call). */
	private void released(AriSession session, CallId call) {
		var connection = session.connection();
		// Asked from the distribution's thread, perhaps before the arrival's own thread noted the caller's channel:
		// the record has it too.
		var caller = callers.get(call);
		if (caller == null) {
			caller = context.callAs(connection.tenant(), () -> calls.find(call))
				.map(CallDetails::providerCallId)
				.orElse(null);
		}
		if (caller != null) {
			hangUp(session.ari(), caller, "normal");
		}
	}

	/**
	 * An agent answered an offer. Voxdesk decides who takes the caller (the first answer, whatever the order the
	 * answers arrive in); the winner joins the caller's bridge and the music stops, every other agent still rung
	 * is hung up as answered elsewhere.
	 */
	private void offerAnswered(AriSession session, Legs.Leg leg, Instant at) {
		var connection = session.connection();
		var legs = leg.legs();
		var call = legs.call();
		var channel = legs.offerChannel(leg.attempt());
		var ari = session.ari();
		awaitHeld(call);
		// The same answer may be handled twice: found by the reconciliation after a reconnect, and its StasisStart.
		var first = taken.putIfAbsent(call, leg.attempt());
		if (first != null && first == leg.attempt()) {
			return;
		}
		OfferAnswer answer;
		try {
			answer = context.callAs(connection.tenant(), () -> calls.offerAnswered(call, leg.attempt(), at));
		}
		catch (RuntimeException ex) {
			log.error("Inbound call {}: the answer of offer {} could not be recorded; hanging it up", call,
					leg.attempt(), ex);
			taken.remove(call, leg.attempt());
			hangUp(ari, channel, "normal");
			return;
		}
		if (!answer.taken()) {
			taken.remove(call, leg.attempt());
			hangUp(ari, channel, "answered_elsewhere");
			return;
		}
		taken.put(call, leg.attempt());
		for (var other : answer.withdrawn()) {
			hangUp(ari, legs.offerChannel(other), "answered_elsewhere");
		}
		try {
			stopMusic(ari, legs);
			if (waitingMusic.remove(call) != null) {
				stopPlayback(ari, legs.greetingPlayback());
			}
			ari.bridges().addChannel(legs.bridge(), channel).execute();
			if (Boolean.parseBoolean(connection.settings().getOrDefault("recording", "false"))) {
				ari.bridges()
					.record(legs.bridge(), legs.recording(), "wav")
					.setIfExists("overwrite")
					.setBeep(false)
					.execute();
			}
		}
		catch (RestException ex) {
			log.warn("Inbound call {}: bridging the agent to the caller failed: {}; hanging up", call,
					AriSession.describe(ex));
			hangUp(ari, channel, "normal");
		}
	}

	/**
	 * An offer's agent leg ended. The agent who took the call hung up: the conversation is over, and the caller goes
	 * too. Any other: the offer ended unanswered (rejected, not answered in time, unreachable, or withdrawn), and
	 * Voxdesk rings the next agent.
	 */
	private void offerGone(AriSession session, Legs.Leg leg, ChannelDestroyed destroyed, HangupCause cause) {
		var connection = session.connection();
		var call = leg.legs().call();
		var channel = destroyed.getChannel().getId();
		var at = destroyed.getTimestamp() == null ? Instant.now() : destroyed.getTimestamp().toInstant();
		forgetOffer(call, leg.attempt());
		// The agent who transferred the caller to a queue: released, the caller waits as another call.
		requeued.remove(call);
		if (Integer.valueOf(leg.attempt()).equals(taken.get(call))) {
			apply(connection, new ProviderCallEvent(call, "ari:ChannelDestroyed:" + channel, Type.ENDED, CallLeg.AGENT,
					at, channel, cause, null));
			if (session.state() == AriSession.State.CONNECTED) {
				endArrival(session.ari(), call);
			}
			return;
		}
		// The caller's end hangs up the phones still ringing before that end is committed: such a phone was not
		// missed by its agent, the caller went.
		var why = callers.containsKey(call) ? cause
				: new HangupCause(cause.code(), "the caller hung up", CallOutcome.CANCELLED);
		try {
			context.runAs(connection.tenant(), () -> calls.offerEnded(call, leg.attempt(), why, at));
		}
		catch (RuntimeException ex) {
			log.error("Inbound call {}: the end of offer {} could not be recorded", call, leg.attempt(), ex);
		}
	}

	private void forgetOffer(CallId call, int offer) {
		offers.computeIfPresent(call, (id, live) -> {
			live.remove(offer);
			return live.isEmpty() ? null : live;
		});
	}

	/** Hangs up whatever of an inbound call is still up (the caller, every agent leg) and destroys its bridge. */
	private void endArrival(ARI ari, CallId call) {
		var now = Instant.now();
		ended.values().removeIf(at -> at.isBefore(now.minusSeconds(60)));
		ended.put(call, now);
		var legs = new Legs(call);
		waitingMusic.remove(call);
		var caller = callers.remove(call);
		if (caller != null) {
			arrivals.remove(caller);
			hangUp(ari, caller, "normal");
		}
		for (var offer : Set.copyOf(offers.getOrDefault(call, Set.of()))) {
			hangUp(ari, legs.offerChannel(offer), "normal");
		}
		var agent = taken.remove(call);
		if (agent != null) {
			hangUp(ari, legs.offerChannel(agent), "normal");
		}
		destroyBridge(ari, legs);
	}

	/** The customer's channel: the caller's, for an inbound call; Voxdesk's customer leg, for a click-to-call. */
	String customerChannelOf(CallId call) {
		var caller = callers.get(call);
		return caller != null ? caller : new Legs(call).customerChannel();
	}

	/** The channels that would show the call is still up on the PBX, for the sweeper's question. */
	List<String> channelsOf(CallId call) {
		var legs = new Legs(call);
		var channels = new ArrayList<>(List.of(agentChannelOf(legs), legs.customerChannel()));
		var caller = callers.get(call);
		if (caller != null) {
			channels.add(caller);
		}
		return channels;
	}

	/**
	 * Records the agent's answer and waits for its commit. A failure (a lease taken over meanwhile, a database that
	 * did not come back) leaves the customer undialled: the call is the reconciliation's, here or on the instance
	 * that holds the connection now, and an answer never recorded tells it the customer was never dialled.
	 */
	private boolean answerCommitted(AriSession session, Channel agent, Instant at) {
		var leg = Legs.of(agent.getId()).orElseThrow();
		var event = new ProviderCallEvent(leg.legs().call(), "ari:StasisStart:" + agent.getId(), Type.ANSWERED,
				CallLeg.AGENT, at, agent.getId(), null, null);
		try {
			context.callAs(session.connection().tenant(), () -> calls.apply(event));
			return true;
		}
		catch (RuntimeException ex) {
			log.error("Call {}: the agent's answer could not be recorded, so the customer is not dialled; the "
					+ "reconciliation settles the call", leg.legs().call(), ex);
			return false;
		}
	}

	private void ringCustomer(AriSession session, ARI ari, Legs legs) {
		var connection = session.connection();
		var call = context.callAs(connection.tenant(), () -> calls.find(legs.call())).orElse(null);
		if (call == null || call.status().isFinal()) {
			hangUp(ari, agentChannelOf(legs));
			return;
		}
		var endpoint = customerEndpoint(connection, call.number());
		try {
			var request = ari.channels()
				.originateWithId(legs.customerChannel(), endpoint)
				.setApp(connection.setting("application"))
				.setAppArgs("voxdesk,customer," + legs.call())
				.setOriginator(agentChannelOf(legs))
				.setTimeout(ringSeconds(connection, "customerRingSeconds", settings.customerRingSeconds()))
				.setVariables(Map.of("VOXDESK_CALL_ID", legs.call().toString()));
			accepted(legs.call(), request::execute);
		}
		catch (RestException ex) {
			log.warn("Call {}: the PBX refused to dial the customer: {}", legs.call(), AriSession.describe(ex));
			apply(connection, new ProviderCallEvent(legs.call(), "ari:originate-refused:" + legs.customerChannel(),
					Type.ENDED, CallLeg.CUSTOMER, Instant.now(), legs.customerChannel(),
					new HangupCause(null, "PBX refused: " + reason(ex), CallOutcome.FAILED), null));
			hangUp(ari, agentChannelOf(legs));
		}
	}

	private void bridge(AriSession session, ARI ari, Legs legs) {
		try {
			var agent = agentChannelOf(legs);
			if (phones.containsKey(legs.call())) {
				// The phone that dialled through the dialplan is still ringing back: the customer answered, so is it.
				ari.channels().answer(agent).execute();
			}
			ari.bridges().createWithId(legs.bridge()).setType("mixing").setName("voxdesk-" + legs.call()).execute();
			ari.bridges().addChannel(legs.bridge(), agent + "," + legs.customerChannel()).execute();
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
			hangUp(ari, agentChannelOf(legs));
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
		catch (Exception ex) {
			log.warn("Fetching recording {} failed: {}", name, AriSession.describe(ex));
		}
	}

	/**
	 * The stored recording's file, fetched with the JDK's HTTP client rather than ari4java: ari4java 0.18 reads an
	 * answer's body after handing its connection back to the pool (see {@link #accepted}), so a recording
	 * could come back with another request's body, another call's recording included.
	 */
	private byte[] storedFile(ProviderConnection connection, String name) throws IOException {
		var answer = recordingHttp.get()
			.uri(AriHttp.uri(connection, "/recordings/stored/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/file"))
			.header(HttpHeaders.AUTHORIZATION, AriHttp.basic(connection))
			.exchange((request, response) -> response.getStatusCode().value() == 200 ? response.getBody().readAllBytes()
					: null);
		if (answer == null) {
			throw new IOException("the PBX did not serve the recording");
		}
		return answer;
	}

	private void dialed(AriSession session, Dial dial) {
		var peer = dial.getPeer().getId();
		var leg = Legs.of(peer).orElse(null);
		if (leg == null || dial.getDialstatus() == null || dial.getDialstatus().isEmpty()) {
			return;
		}
		dialStatus.put(peer, dial.getDialstatus());
		if ("RINGING".equals(dial.getDialstatus()) && !leg.offer()) {
			report(session, dial.getPeer(), Type.RINGING, "Dial:RINGING", dial.getTimestamp(), null);
		}
	}

	private void destroyed(AriSession session, ChannelDestroyed destroyed) {
		var channel = destroyed.getChannel();
		// A caller's line first: a customer transferred to a queue keeps the channel of the call they came from.
		var leg = arrivals.containsKey(channel.getId()) ? null : legOf(channel.getId()).orElse(null);
		if (leg == null) {
			var arrival = arrivals.remove(channel.getId());
			if (arrival != null) {
				var cause = Q850.cause(destroyed.getCause(), destroyed.getCause_txt(), null);
				var at = destroyed.getTimestamp() == null ? Instant.now() : destroyed.getTimestamp().toInstant();
				apply(session.connection(), new ProviderCallEvent(arrival, "ari:ChannelDestroyed:" + channel.getId(),
						Type.ENDED, CallLeg.CUSTOMER, at, channel.getId(), cause, null));
				if (session.state() == AriSession.State.CONNECTED) {
					endArrival(session.ari(), arrival);
				}
			}
			return;
		}
		if (leg.offer()) {
			offerGone(session, leg, destroyed, Q850.cause(destroyed.getCause(), destroyed.getCause_txt(),
					dialStatus.remove(channel.getId())));
			return;
		}
		var cause = Q850.cause(destroyed.getCause(), destroyed.getCause_txt(), dialStatus.remove(channel.getId()));
		report(session, channel, Type.ENDED, "ChannelDestroyed", destroyed.getTimestamp(), cause);
		if (session.state() != AriSession.State.CONNECTED) {
			return;
		}
		var call = leg.legs().call();
		var transfer = transfers.get(call);
		if (leg.leg() == CallLeg.TARGET) {
			targetGone(session, leg, transfer);
			return;
		}
		if (leg.leg() == CallLeg.AGENT && (handedOver(transfer) || requeued.remove(call))) {
			return;
		}
		// The conversation is over: whoever is left goes too.
		endAll(session.ari(), leg.legs(), attemptOf(transfer));
	}

	/** The attempt of the transfer the flow follows; 0 if none (a given-up attempt has no target left). */
	private static int attemptOf(@Nullable Transfer transfer) {
		return transfer == null ? 0 : transfer.request.attempt();
	}

	/**
	 * Whether the agent handed the customer over, so that their leg ending releases them and the conversation goes
	 * on. Decided from memory, with no database read on the event thread: after a restart of Voxdesk the
	 * reconciliation restores the transfers of open calls from their records ({@link #onConnected}).
	 */
	private static boolean handedOver(@Nullable Transfer transfer) {
		if (transfer == null) {
			return false;
		}
		synchronized (transfer) {
			if (!transfer.completed) {
				transfer.over = true;
			}
			return transfer.completed;
		}
	}

	/**
	 * Hangs up every leg of the call still up, the latest transfer's target included, and destroys its bridges;
	 * whether the call's bridge was still there.
	 */
	private boolean endAll(ARI ari, Legs legs, int attempt) {
		var transfer = transfers.remove(legs.call());
		if (transfer != null) {
			synchronized (transfer) {
				transfer.over = true;
			}
		}
		hangUp(ari, legs.customerChannel());
		hangUp(ari, agentChannelOf(legs));
		var phone = phones.remove(legs.call());
		if (phone != null) {
			placedBy.remove(phone);
		}
		if (attempt > 0) {
			hangUp(ari, legs.targetChannel(attempt));
		}
		destroyBridge(ari, legs.consultBridge());
		return destroyBridge(ari, legs);
	}

	/**
	 * Starts a transfer inside Voxdesk's own bridge. {@code redirect} is not used: Asterisk answers it with 204 and
	 * then does nothing on Local channels ("Unsupported transfer requested"), and turns it into a SIP REFER that many
	 * trunks refuse, so the customer would wait alone in Stasis. Instead the target (an extension through the agent
	 * endpoint template, anything longer through the outbound one) is originated into the Stasis application. For an
	 * attended transfer the agent first moves to a consultation bridge and the customer, alone in the call's bridge,
	 * hears music on hold; for a blind one the agent and the customer go on talking until the target answers.
	 */
	void transfer(AriSession session, TransferRequest request) {
		var connection = session.connection();
		var call = request.call();
		var legs = new Legs(call);
		var target = legs.targetChannel(request.attempt());
		var destination = request.destination();
		var digits = destination.startsWith("+") ? destination.substring(1) : destination;
		var extension = digits.length() <= 6 && !destination.startsWith("+");
		var endpoint = extension ? connection.setting("agentEndpoint").replace("{extension}", digits)
				: customerEndpoint(connection, "+" + digits);
		var number = request.customerNumber();
		var ari = session.ari();
		var transfer = new Transfer(request);
		// Known before the originate: the target's events may arrive before its answer.
		transfers.put(call, transfer);
		try {
			if (request.mode() == TransferMode.ATTENDED) {
				ari.bridges().createWithId(legs.consultBridge()).setType("mixing").setName("voxdesk-consult-" + call)
					.execute();
				// Adding a channel that is in another bridge moves it there (control_swap_channel_in_bridge).
				ari.bridges().addChannel(legs.consultBridge(), agentChannelOf(legs)).execute();
				var music = ari.bridges().startMoh(legs.bridge());
				var mohClass = connection.settings().get(AsteriskAdapter.HOLD_MUSIC);
				if (mohClass != null) {
					music.setMohClass(mohClass);
				}
				music.execute();
			}
			var originate = ari.channels()
				.originateWithId(target, endpoint)
				.setApp(connection.setting("application"))
				.setAppArgs("voxdesk,target," + call + "," + request.attempt())
				.setCallerId("\"" + number + "\" <" + number + ">")
				.setTimeout(extension ? ringSeconds(connection, "agentRingSeconds", settings.agentRingSeconds())
						: ringSeconds(connection, "customerRingSeconds", settings.customerRingSeconds()))
				.setVariables(Map.of("VOXDESK_CALL_ID", call.toString()));
			accepted(call, originate::execute);
			log.info("Call {}: {} transfer {} ringing {}", call, request.mode(), request.attempt(), endpoint);
		}
		catch (RestException ex) {
			transfers.remove(call, transfer);
			if (request.mode() == TransferMode.ATTENDED) {
				backTogether(ari, legs);
			}
			throw refused("ring " + destination + " for the transfer", ex);
		}
	}

	/**
	 * The target answered: an attended transfer's target joins the agent in the consultation bridge; a blind
	 * transfer's joins the customer, and the agent is released.
	 */
	private void targetAnswered(AriSession session, Legs.Leg leg) {
		var ari = session.ari();
		var legs = leg.legs();
		var target = legs.targetChannel(leg.attempt());
		var transfer = transfers.get(legs.call());
		if (transfer == null || transfer.request.attempt() != leg.attempt()) {
			// Cancelled, or the call ended, while the target was ringing.
			hangUp(ari, target);
			return;
		}
		synchronized (transfer) {
			if (transfer.over) {
				hangUp(ari, target);
				return;
			}
			transfer.answered = true;
			try {
				if (transfer.request.mode() == TransferMode.ATTENDED) {
					ari.bridges().addChannel(legs.consultBridge(), target).execute();
					return;
				}
				ari.bridges().addChannel(legs.bridge(), target).execute();
				transfer.completed = true;
			}
			catch (RestException ex) {
				log.warn("Call {}: the transfer's target could not join: {}; hanging it up", legs.call(),
						AriSession.describe(ex));
				hangUp(ari, target);
				return;
			}
		}
		// Reported before the agent's leg goes, so the agent's end reads as a release, not as the end of the call.
		apply(session.connection(), handedOverFact(legs.call(), leg.attempt(), target));
		hangUp(ari, agentChannelOf(legs));
	}

	/**
	 * Completes an attended transfer: the target moves to the customer's bridge, the music stops, and once the call
	 * record knows the customer was handed over the agent is released.
	 */
	void completeTransfer(AriSession session, TransferRequest request) {
		var legs = new Legs(request.call());
		var target = legs.targetChannel(request.attempt());
		var ari = session.ari();
		var transfer = transfers.get(request.call());
		var over = new CallNotPossibleException("Transfer over", "The transfer to " + request.destination()
				+ " is no longer in progress.");
		if (transfer == null || transfer.request.attempt() != request.attempt()) {
			throw over;
		}
		synchronized (transfer) {
			if (transfer.over || !transfer.answered) {
				throw over;
			}
			try {
				stopMusic(ari, legs);
				ari.bridges().addChannel(legs.bridge(), target).execute();
			}
			catch (RestException ex) {
				throw refused("hand the customer to " + request.destination(), ex);
			}
			transfer.completed = true;
		}
		calls.apply(handedOverFact(request.call(), request.attempt(), target));
		hangUp(ari, agentChannelOf(legs));
		destroyBridge(ari, legs.consultBridge());
	}

	/** The customer is with the target: the fact that makes the agent's leg ending a release. */
	private static ProviderCallEvent handedOverFact(CallId call, int attempt, String target) {
		return ProviderCallEvent.ofTarget(call, attempt, "ari:Transferred:" + target, Type.TRANSFERRED, Instant.now(),
				target, null);
	}

	/** Cancels the transfer in progress: its target is hung up and the agent goes back to the customer. */
	void cancelTransfer(AriSession session, TransferRequest request) {
		var legs = new Legs(request.call());
		var ari = session.ari();
		var transfer = transfers.get(request.call());
		if (transfer != null && transfer.request.attempt() == request.attempt()) {
			synchronized (transfer) {
				if (transfer.completed) {
					throw new CallNotPossibleException("Transfer completed", "The customer was already handed to "
							+ request.destination() + ".");
				}
				transfer.over = true;
			}
			transfers.remove(request.call(), transfer);
		}
		var target = legs.targetChannel(request.attempt());
		if (!hangUp(ari, target)) {
			// Gone already, its end unseen (it ended while the socket was down): no event will settle the attempt.
			calls.apply(ProviderCallEvent.ofTarget(request.call(), request.attempt(), "ari:gone:" + target, Type.ENDED,
					Instant.now(), target, null));
		}
		if (request.mode() == TransferMode.ATTENDED) {
			backTogether(ari, legs);
		}
	}

	/**
	 * The target's leg ended. Before the transfer was completed the customer stays with (or goes back to) the
	 * agent; after it, the conversation is over.
	 */
	private void targetGone(AriSession session, Legs.Leg leg, @Nullable Transfer transfer) {
		var ari = session.ari();
		var legs = leg.legs();
		if (transfer == null || transfer.request.attempt() != leg.attempt()) {
			return;
		}
		boolean completed;
		synchronized (transfer) {
			completed = transfer.completed;
			transfer.over = true;
		}
		if (completed) {
			endAll(ari, legs, leg.attempt());
			return;
		}
		transfers.remove(legs.call(), transfer);
		if (transfer.request.mode() == TransferMode.ATTENDED) {
			backTogether(ari, legs);
		}
	}

	/** The agent back in the customer's bridge, the music off, the consultation bridge gone. */
	private void backTogether(ARI ari, Legs legs) {
		stopMusic(ari, legs);
		try {
			ari.bridges().addChannel(legs.bridge(), agentChannelOf(legs)).execute();
		}
		catch (RestException ex) {
			// 400: the agent hung up meanwhile; their leg's end then ends the call.
			log.debug("Call {}: the agent could not go back to the customer: {}", legs.call(), AriSession.describe(ex));
		}
		destroyBridge(ari, legs.consultBridge());
	}

	private static void stopPlayback(ARI ari, String playback) {
		try {
			ari.playbacks().stop(playback).execute();
		}
		catch (RestException ex) {
			// 404: it finished already.
			log.debug("Stopping playback {}: {}", playback, AriSession.describe(ex));
		}
	}

	private static void stopMusic(ARI ari, Legs legs) {
		try {
			ari.bridges().stopMoh(legs.bridge()).execute();
		}
		catch (RestException ex) {
			// 409: no music was playing.
			log.debug("Call {}: stopping the music: {}", legs.call(), AriSession.describe(ex));
		}
	}

	/** A transfer as the flow follows it; guarded by its own lock, since REST requests and events both change it. */
	private static final class Transfer {

		final TransferRequest request;

		boolean answered;

		boolean completed;

		/** Given up: cancelled, or the target or the call ended first. */
		boolean over;

		Transfer(TransferRequest request) {
			this.request = request;
		}

		static Transfer restored(CallDetails call, CallTransfer recorded) {
			var transfer = new Transfer(new TransferRequest(call.id(), recorded.attempt(), recorded.mode(),
					recorded.destination(), call.number()));
			transfer.answered = recorded.answeredAt() != null;
			transfer.completed = recorded.state() == TransferState.COMPLETED;
			return transfer;
		}
	}

	/** Ends every leg of the call that is still up, a transfer's target and an inbound caller included. */
	void hangUp(AriSession session, CallId call) {
		if (callers.containsKey(call)) {
			endArrival(session.ari(), call);
			return;
		}
		endAll(session.ari(), new Legs(call), attemptOf(transfers.get(call)));
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
		var campaigns = broadcasts;
		if (campaigns != null) {
			campaigns.onConnected(session);
		}
		followEndpoints(session);
		var connection = session.connection();
		awaitArrivals(connection.id());
		try {
			var open = context.callAs(connection.tenant(), () -> calls.openCalls(connection.id()));
			if (open.isEmpty()) {
				return;
			}
			var ari = session.ari();
			var live = new HashSet<String>();
			var answered = new HashSet<String>();
			var channels = new HashMap<String, Channel>();
			for (var channel : ari.channels().list().execute()) {
				live.add(channel.getId());
				channels.put(channel.getId(), channel);
				if ("Up".equals(channel.getState())) {
					answered.add(channel.getId());
				}
			}
			var lostAt = session.lostAt();
			var recording = Boolean.parseBoolean(connection.settings().getOrDefault("recording", "false"));
			var subscribed = 0;
			for (var call : open) {
				if (call.inbound()) {
					subscribed += reconcileArrival(session, call, live, answered, lostAt);
					continue;
				}
				var legs = new Legs(call.id());
				var phone = call.providerCallId();
				if (phone != null && Legs.of(phone).isEmpty()) {
					// A call a phone placed through the dialplan: its agent leg is the phone's channel, which the
					// record keeps (after a restart of Voxdesk only the record knows it).
					placedBy.put(phone, call.id());
					phones.put(call.id(), phone);
				}
				var transfer = call.transfer();
				var attempt = transfer == null ? 0 : transfer.attempt();
				if (transfer != null && (transfer.state().inProgress() || transfer.state() == TransferState.COMPLETED)) {
					// After a restart of Voxdesk, what the flow decides on comes from the record.
					transfers.computeIfAbsent(call.id(), id -> Transfer.restored(call, transfer));
				}
				// After a completed transfer the customer's party is the target; before, the agent.
				var party = transfer != null && transfer.state() == TransferState.COMPLETED
						? legs.targetChannel(attempt) : agentChannelOf(legs);
				var partyUp = live.contains(party);
				var customerUp = live.contains(legs.customerChannel());
				var answeredWithALegGone = call.answeredAt() != null && partyUp != customerUp;
				if (!partyUp && !customerUp && call.answeredAt() == null && transfer == null
						&& call.requestedAt().isAfter(Instant.now().minus(dialWindow))) {
					// A click whose dial may still be on its way: relayed from another instance, or placed by the dialer
					// of this one while it took the connection over. Settled now, it could ring a moment later as a call
					// already reported ended; it gets a second look once no dial can come any more.
					secondLook(session, call.id(), call.requestedAt().plus(dialWindow));
					continue;
				}
				if (!partyUp && !customerUp || answeredWithALegGone) {
					// The conversation ended while the socket was down, when is unknown: the estimate is the moment the
					// socket was lost. The leg still up is hung up below; its later end does not move that estimate.
					var reason = "The call ended while Voxdesk was disconnected from the PBX; its end was never reported.";
					context.runAs(connection.tenant(), () -> {
						if (lostAt == null) {
							calls.settleLost(call.id(), reason, null);
						}
						else {
							calls.settleLost(call.id(), reason, lostAt);
						}
					});
				}
				if (!partyUp && !customerUp) {
					// The call's bridge outlives its channels, and with it the bridge's recording, still running on the
					// PBX. Destroying the bridge ends the recording, whose RecordingFinished then brings it home as
					// usual; a PBX that restarted has no bridge, only what it stored before, which is fetched directly.
					if (!endAll(ari, legs, attempt) && recording) {
						recordings.execute(context.carry(() -> fetchRecording(session, legs.recording())));
					}
					continue;
				}
				for (var channel : new String[] { agentChannelOf(legs), legs.customerChannel(),
						attempt > 0 ? legs.targetChannel(attempt) : "" }) {
					if (live.contains(channel)) {
						ari.applications().subscribe(connection.setting("application"), "channel:" + channel).execute();
						subscribed++;
					}
				}
				if (answeredWithALegGone) {
					endAll(ari, legs, attempt);
				}
				else if (call.answeredAt() == null && transfer == null && !phones.containsKey(call.id())) {
					catchUp(session, ari, call, legs, channels, lostAt);
				}
				else if (transfer == null && partyUp && customerUp && !phones.containsKey(call.id())) {
					// Answered, and the holder that heard it may have died before bridging the two legs.
					rebridge(session, ari, legs);
				}
				else if (transfer != null && transfer.state().inProgress() && !live.contains(legs.targetChannel(attempt))) {
					// The target's leg ended while the socket was down: the attempt is over, and the customer goes
					// back to the agent as if its end had been seen.
					var target = legs.targetChannel(attempt);
					apply(connection, ProviderCallEvent.ofTarget(call.id(), attempt, "ari:gone:" + target, Type.ENDED,
							lostAt == null ? Instant.now() : lostAt, target, null));
					targetGone(session, new Legs.Leg(legs, CallLeg.TARGET, attempt), transfers.get(call.id()));
				}
			}
			log.info("ARI connection {} reconciled {} open calls ({} channels subscribed again)", connection.id(),
					open.size(), subscribed);
		}
		catch (Exception ex) {
			log.warn("ARI connection {}: reconciling open calls failed: {}", connection.id(), AriSession.describe(ex));
		}
	}

	/**
	 * A click-to-call whose answers were missed while no socket listened: an agent who answered had their customer
	 * never dialled (that happens on the agent leg's StasisStart, once its answer is committed), and a customer who
	 * answered was never bridged with the agent. Both steps are taken now, as the missed events would have taken
	 * them; the answers are recorded at the moment the socket was lost, the latest they can have happened before it
	 * came back. An agent whose answer was recorded but who has no customer leg may have had the customer dialled
	 * and gone: that call ends rather than ringing the customer a second time.
	 */
	private void catchUp(AriSession session, ARI ari, CallDetails call, Legs legs, Map<String, Channel> channels,
			@Nullable Instant lostAt) throws RestException {
		var agent = channels.get(legs.agentChannel());
		if (agent == null || !"Up".equals(agent.getState())) {
			return;
		}
		var at = lostAt == null ? null : Date.from(lostAt);
		var customer = channels.get(legs.customerChannel());
		if (customer == null && call.agentAnsweredAt() != null) {
			// The agent's answer is committed before the customer is dialled, so the customer may have been dialled
			// and have hung up unheard. Dialling again could ring them twice: the call ends instead.
			log.info("Call {}: its customer's leg ended while the PBX's events were not heard; ending the call", call.id());
			context.runAs(session.connection().tenant(), () -> calls.settleLost(call.id(),
					"The customer's line ended while Voxdesk was not connected to the PBX; the call was ended rather than "
							+ "risk calling the customer twice.", lostAt));
			hangUp(ari, legs.agentChannel());
			return;
		}
		if (customer == null) {
			// The agent's answer was never recorded, so the customer was never dialled (that follows the record). It
			// is committed first, as on the agent's StasisStart, so that a third instance can tell the same.
			if (answerCommitted(session, agent, lostAt == null ? Instant.now() : lostAt)) {
				log.info("Call {}: its agent answered while the PBX's events were not heard; dialling the customer",
						call.id());
				ringCustomer(session, session.ari(), legs);
			}
			return;
		}
		if (call.agentAnsweredAt() == null) {
			report(session, agent, Type.ANSWERED, "StasisStart", at, null);
		}
		if ("Up".equals(customer.getState())) {
			// The instance that heard the customer answer may have bridged the legs and died before the answer was
			// recorded: the answer is recorded either way, the bridge made or completed only where it is not.
			report(session, customer, Type.ANSWERED, "StasisStart", at, null);
			rebridge(session, ari, legs);
		}
	}

	/** Puts the two legs of an answered call in their bridge if they are not (made, if missing). */
	private void rebridge(AriSession session, ARI ari, Legs legs) throws RestException {
		List<String> members;
		try {
			members = ari.bridges().get(legs.bridge()).execute().getChannels();
		}
		catch (RestException ex) {
			if (ex.getCode() != 404) {
				throw ex;
			}
			log.info("Call {}: answered but never bridged while the PBX's events were not heard; bridging", legs.call());
			bridge(session, ari, legs);
			return;
		}
		var missing = new ArrayList<String>();
		for (var channel : List.of(legs.agentChannel(), legs.customerChannel())) {
			if (members == null || !members.contains(channel)) {
				missing.add(channel);
			}
		}
		if (!missing.isEmpty()) {
			log.info("Call {}: {} not in the call's bridge after the PBX's events were not heard; adding", legs.call(),
					missing);
			ari.bridges().addChannel(legs.bridge(), String.join(",", missing)).execute();
		}
	}

	/**
	 * Settles, at {@code at}, a click that had no channel on the PBX at a reconciliation and still has none: no dial
	 * can reach the PBX after that moment, so the call will never be. One that has channels by then is followed by
	 * its events as usual. Only while this instance still serves the connection: otherwise its new holder decides.
	 */
	private void secondLook(AriSession session, CallId id, Instant at) {
		var connection = session.connection();
		// Carried: the settling write is fenced like the session's own, refused if the lease has moved on.
		secondLooks.schedule(context.carry(() -> {
			try {
				var call = context.callAs(connection.tenant(), () -> calls.find(id)).orElse(null);
				if (call == null || call.endedAt() != null || call.answeredAt() != null
						|| session.state() != AriSession.State.CONNECTED) {
					return;
				}
				var legs = new Legs(id);
				if (exists(session.ari(), legs.agentChannel()) || exists(session.ari(), legs.customerChannel())) {
					return;
				}
				var ari = session.ari();
				context.runAs(connection.tenant(), () -> calls.settleLost(id,
						"The PBX does not have this call, and Voxdesk did not hear how it ended: the connection to the PBX "
								+ "was lost or passed to another Voxdesk instance while the call was being placed.", null));
				endAll(ari, legs, 0);
				log.info("Call {}: settled; the PBX never had it, or ended it unheard", id);
			}
			catch (RestException | RuntimeException ex) {
				log.warn("Call {}: the second look after a reconnect failed ({}); the sweeper settles it", id,
						AriSession.describe(ex));
			}
		}), Math.max(0, Duration.between(Instant.now(), at).toMillis()), TimeUnit.MILLISECONDS);
	}

	private static boolean exists(ARI ari, String channel) throws RestException {
		try {
			ari.channels().get(channel).execute();
			return true;
		}
		catch (RestException ex) {
			if (ex.getCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

	/**
	 * Follows the state of the agents' phones (registered or not) of the technology the agent endpoint dials: every
	 * such endpoint's state now, then its changes. A PBX that cannot tell (a Local agent endpoint) leaves it unknown.
	 */
	private void followEndpoints(AriSession session) {
		var connection = session.connection();
		var technology = endpointTechnology(connection.setting("agentEndpoint"));
		if (technology == null) {
			return;
		}
		try {
			var ari = session.ari();
			ari.applications().subscribe(connection.setting("application"), "endpoint:" + technology).execute();
			var states = new ConcurrentHashMap<String, String>();
			for (var endpoint : ari.endpoints().listByTech().setTech(technology).execute()) {
				states.put(endpoint.getTechnology() + "/" + endpoint.getResource(), String.valueOf(endpoint.getState()));
			}
			endpoints.put(connection.id(), states);
		}
		catch (RestException | RuntimeException ex) {
			log.debug("ARI connection {}: endpoint states unavailable: {}", connection.id(), AriSession.describe(ex));
		}
	}

	/** {@code PJSIP} of {@code PJSIP/{extension}}; {@literal null} for templates whose resource is not the extension. */
	static @Nullable String endpointTechnology(String agentEndpoint) {
		var slash = agentEndpoint.indexOf('/');
		if (slash <= 0 || !agentEndpoint.substring(slash + 1).equals("{extension}")) {
			return null;
		}
		var technology = agentEndpoint.substring(0, slash).toUpperCase(java.util.Locale.ROOT);
		return Set.of("PJSIP", "SIP", "IAX2").contains(technology) ? technology : null;
	}

	/** Whether the extension's phone is registered, when the PBX said so; empty when it is not known. */
	Optional<Boolean> reachable(ProviderConnection connection, String extension) {
		var technology = endpointTechnology(connection.setting("agentEndpoint"));
		var known = technology == null ? null
				: endpoints.getOrDefault(connection.id(), Map.of()).get(technology + "/" + extension);
		return known == null || known.equals("unknown") ? Optional.empty() : Optional.of(known.equals("online"));
	}

	/**
	 * An inbound call still open after a (re)connection: its caller still on the line is followed again (subscribed,
	 * its end awaited); one who left meanwhile is settled as lost. Returns the channels subscribed.
	 */
	private int reconcileArrival(AriSession session, CallDetails call, Set<String> live, Set<String> answered,
			@Nullable Instant lostAt) throws RestException {
		var connection = session.connection();
		var channel = call.providerCallId();
		if (channel != null && live.contains(channel)) {
			arrivals.put(channel, call.id());
			callers.put(call.id(), channel);
			var subscribed = 1;
			session.ari().applications().subscribe(connection.setting("application"), "channel:" + channel).execute();
			// The agents' legs carry the call's id: those still up are followed again too.
			var pickedUp = new ArrayList<Legs.Leg>();
			for (var id : live) {
				var leg = Legs.of(id).filter(found -> found.offer() && found.legs().call().equals(call.id()));
				if (leg.isPresent()) {
					if (call.agent() != null) {
						taken.putIfAbsent(call.id(), leg.get().attempt());
					}
					else {
						offers.computeIfAbsent(call.id(), key -> ConcurrentHashMap.newKeySet()).add(leg.get().attempt());
						if (answered.contains(id)) {
							pickedUp.add(leg.get());
						}
					}
					session.ari().applications().subscribe(connection.setting("application"), "channel:" + id).execute();
					subscribed++;
				}
			}
			if (call.agent() == null) {
				settleOffersLost(session, call.id(), live, lostAt);
				// An agent who picked up while nobody listened waits in Stasis: their answer counts now, as if just
				// heard (the first of them takes the caller, the others hear it was answered elsewhere).
				pickedUp.forEach(leg -> offerAnswered(session, leg, Instant.now()));
			}
			return subscribed;
		}
		var reason = "The caller's line ended while Voxdesk was disconnected from the PBX; its end was never reported.";
		context.runAs(connection.tenant(), () -> calls.settleLost(call.id(), reason, lostAt));
		return 0;
	}

	/**
	 * The offers Voxdesk still takes for ringing whose agent leg the PBX no longer has ended while the socket was
	 * down (rejected, or their ring time ran out): unanswered, so the caller is offered again.
	 */
	private void settleOffersLost(AriSession session, CallId call, Set<String> live, @Nullable Instant lostAt) {
		var connection = session.connection();
		var legs = new Legs(call);
		var at = lostAt == null ? Instant.now() : lostAt;
		context.runAs(connection.tenant(), () -> calls.ringingOffers(call)
			.stream()
			.filter(offer -> !live.contains(legs.offerChannel(offer)))
			.forEach(offer -> {
				forgetOffer(call, offer);
				calls.offerEnded(call, offer, new HangupCause(null, "ended while Voxdesk was disconnected from the PBX",
						CallOutcome.NO_ANSWER), at);
			}));
	}

	private void report(AriSession session, Channel channel, Type type, String what, @Nullable Date at,
			@Nullable HangupCause cause) {
		legOf(channel.getId()).ifPresent(leg -> {
			var key = "ari:" + what + ":" + channel.getId();
			var when = at == null ? Instant.now() : at.toInstant();
			apply(session.connection(), leg.leg() == CallLeg.TARGET
					? ProviderCallEvent.ofTarget(leg.legs().call(), leg.attempt(), key, type, when, channel.getId(), cause)
					: new ProviderCallEvent(leg.legs().call(), key, type, leg.leg(), when, channel.getId(), cause, null));
		});
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

	/** Hangs the channel up; false if the PBX no longer had it. */
	private static boolean hangUp(ARI ari, String channel) {
		return hangUp(ari, channel, "normal");
	}

	/** Hangs the channel up with one of ARI's reasons ({@code unallocated} is cause 1); false if it was gone. */
	private static boolean hangUp(ARI ari, String channel, String reason) {
		try {
			ari.channels().hangup(channel).setReason(reason).execute();
			return true;
		}
		catch (RestException ex) {
			if (ex.getCode() != 404) {
				log.warn("Hanging up channel {} failed: {}", channel, AriSession.describe(ex));
				return true;
			}
			return false;
		}
	}

	/** Destroys the call's bridge; whether there was one. */
	private static boolean destroyBridge(ARI ari, Legs legs) {
		return destroyBridge(ari, legs.bridge());
	}

	private static boolean destroyBridge(ARI ari, String bridge) {
		try {
			ari.bridges().destroy(bridge).execute();
			return true;
		}
		catch (RestException ex) {
			if (ex.getCode() != 404) {
				log.warn("Destroying bridge {} failed: {}", bridge, AriSession.describe(ex));
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
	 * Sends a request whose answer (the new channel, bridge, playback or recording) Voxdesk does not need: it chose
	 * the resource's id. A 2xx whose body cannot be read (empty, or with fields ari4java's models do not know, as a
	 * newer Asterisk may add; before {@link AriRest}, another request's body) is taken as the acceptance it is,
	 * instead of failing a call that is ringing; a refusal (a status other than 2xx) and an answer that never came
	 * (no status, see {@link AriRest}) still fail it.
	 */
	static void accepted(CallId call, AriRequest request) throws RestException {
		try {
			request.send();
		}
		catch (IllegalArgumentException ex) {
			if (ex.getMessage() == null || !ex.getMessage().contains("\"content\" is null")) {
				throw ex;
			}
			log.debug("Call {}: the PBX accepted a request whose answer ari4java lost", call);
		}
		catch (RestException ex) {
			// ari4java wraps what Jackson could not read; a refusal carries the PBX's status and no cause.
			if (!(ex.getCause() instanceof IOException)) {
				throw ex;
			}
			log.debug("Call {}: the PBX accepted a request whose answer ari4java mixed up: {}", call, ex.getMessage());
		}
	}
}

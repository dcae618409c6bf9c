package io.voxdesk.asterisk.internal;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import ch.loway.oss.ari4java.generated.models.Channel;
import ch.loway.oss.ari4java.generated.models.ChannelDestroyed;
import ch.loway.oss.ari4java.generated.models.ChannelDtmfReceived;
import ch.loway.oss.ari4java.generated.models.ChannelTalkingFinished;
import ch.loway.oss.ari4java.generated.models.ChannelTalkingStarted;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.generated.models.PlaybackFinished;
import ch.loway.oss.ari4java.generated.models.StasisStart;
import ch.loway.oss.ari4java.tools.RestException;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.AnsweredBy;
import io.voxdesk.calls.spi.BroadcastCall;
import io.voxdesk.calls.spi.BroadcastDialer;
import io.voxdesk.calls.spi.BroadcastOutcome;
import io.voxdesk.calls.spi.BroadcastPresence;
import io.voxdesk.calls.spi.BroadcastRecall;
import io.voxdesk.calls.spi.BroadcastReply;
import io.voxdesk.calls.spi.BroadcastReports;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Places voice campaigns' calls on Asterisk: the number is originated straight into the connection's Stasis
 * application as channel {@code vx-k-<attempt>} (so the PBX's channel list names the attempt after a restart). When
 * it answers it enters Stasis and its first seconds are judged by Asterisk's talk detection ({@code TALK_DETECT},
 * set over ARI; see docs/asterisk.md for why not {@code AMD()}): a short "Alô?" followed by silence is a person, a
 * long greeting a machine, silence unknown. A person (or unknown) hears the message (a library item, fetched by
 * Asterisk as {@code sound:http://…}) as playback {@code vx-kp-<attempt>.<round>} and its menu; a machine is hung up
 * on, or left the message once its greeting ended. Its {@code ChannelDestroyed} ends the attempt: answered, machine
 * or voicemail if it entered Stasis, else by its Q.850 cause.
 */
@Component
class AriBroadcasts implements BroadcastDialer, DisposableBean {

	static final String CHANNEL = "vx-k-";

	static final String PLAYBACK = "vx-kp-";

	/** The playback after which the call ends: an opt-out's confirmation, or the message left on a machine. */
	static final String GOODBYE = "vx-kb-";

	/** Talk detection's silence threshold: speech is reported finished after this much silence. */
	static final int SILENCE_MS = 800;

	/** Nobody spoke this long after the answer: unknown, the message starts. */
	static final long INITIAL_SILENCE_MS = 2500;

	/** Speech longer than this before a pause is a machine's greeting; a person says "Alô?" and waits. */
	static final long LONGEST_HELLO_MS = 1500;

	/** A machine's greeting that has not ended after this long gets the message anyway. */
	static final long LONGEST_GREETING_MS = 20_000;

	/** An answered call's judgement: who picked up, and what was done about a machine. */
	private static final class Answered {

		@Nullable AnsweredBy verdict;

		boolean talking;

		/** Waiting for a machine's greeting to end before leaving the message. */
		boolean awaitingGreetingEnd;

		boolean hungUpOnMachine;

		boolean leftVoicemail;

		@Nullable ScheduledFuture<?> timer;

		void reschedule(@Nullable ScheduledFuture<?> next) {
			if (timer != null) {
				timer.cancel(false);
			}
			timer = next;
		}
	}

	private static final Logger log = LoggerFactory.getLogger(AriBroadcasts.class);

	private final AriSessions sessions;

	/** Carries a session's scope and fence from its event thread to the lanes and timers. */
	private final TenantContext context;

	private final AriCallFlow flow;

	private final ObjectProvider<BroadcastReports> reports;

	/** The calls placed here, by attempt, until their channel is destroyed: what to play again on a replay. */
	private final Map<UUID, BroadcastCall> calls = new ConcurrentHashMap<>();

	/** The calls that answered, until their channel is destroyed: who picked up, and what became of a machine. */
	private final Map<UUID, Answered> answered = new ConcurrentHashMap<>();

	/**
	 * Which round of its media each call a person answered is playing (-1 once it is saying goodbye), until its
	 * channel is destroyed: a stopped round's PlaybackFinished changes nothing.
	 */
	private final Map<UUID, Integer> rounds = new ConcurrentHashMap<>();

	/**
	 * The attempts whose person a key handed to an agent: their channel is the waiting inbound call's now, followed by
	 * the call flow; here only their end is still reported (once their channel is destroyed).
	 */
	private final Set<UUID> handedOver = ConcurrentHashMap.newKeySet();

	/** The hang-ups due when a call listened for a key long enough. */
	private final Map<UUID, ScheduledFuture<?>> listening = new ConcurrentHashMap<>();

	private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("ari-campaign-timers").daemon().factory());

	AriBroadcasts(AriSessions sessions, AriCallFlow flow, ObjectProvider<BroadcastReports> reports,
			TenantContext context) {
		this.context = context;
		this.sessions = sessions;
		this.flow = flow;
		this.reports = reports;
		flow.broadcastsTo(this);
	}

	/** Pending hang-ups, and events not handled yet, stop with Voxdesk. */
	@Override
	public void destroy() {
		timers.shutdownNow();
		for (var lane : lanes) {
			lane.shutdownNow();
		}
	}

	@Override
	public ProviderKind kind() {
		return AsteriskAdapter.KIND;
	}

	@Override
	public void place(BroadcastCall call) {
		var session = sessions.find(call.connection())
			.filter(found -> found.state() == AriSession.State.CONNECTED)
			.orElseThrow(() -> new ProviderException("The Asterisk connection is not connected; the campaign waits."));
		var connection = session.connection();
		var endpoint = AriCallFlow.customerEndpoint(connection, call.number());
		// Outside the try: a session that cannot act (its lease may have lapsed) places nothing, for certain.
		var ari = session.ari();
		calls.put(call.attempt(), call);
		try {
			ari
				.channels()
				.originateWithId(CHANNEL + call.attempt(), endpoint)
				.setApp(connection.setting("application"))
				.setAppArgs("campaign," + call.attempt())
				.setCallerId(call.callerId())
				.setTimeout(call.ringSeconds())
				.setVariables(Map.of("VOXDESK_CAMPAIGN_ATTEMPT", call.attempt().toString()))
				.execute();
		}
		catch (RestException ex) {
			if (ex.getCode() > 0) {
				calls.remove(call.attempt());
				throw new ProviderException("The PBX refused the call: " + AriSession.describe(ex));
			}
			// No status: the PBX accepted the request but its answer could not be read. The call may well be placed.
			unknownOutcome(session, call, ex);
		}
		catch (RuntimeException ex) {
			unknownOutcome(session, call, ex);
		}
	}

	/**
	 * The originate's answer never came (a timeout, a broken connection) or could not be read: the PBX may have placed
	 * the call all the same. Its channel says which: a call placed must keep its attempt, one not placed must not.
	 */
	private void unknownOutcome(AriSession session, BroadcastCall call, Exception ex) {
		var exists = exists(session, CHANNEL + call.attempt());
		if (exists == null || exists) {
			// Unknown counts as placed: the dialer's reconciliation ends an attempt the PBX turns out not to have,
			// whereas a call placed without its attempt could dial the contact twice.
			log.info("Campaign attempt {}: the PBX's answer to the originate was lost; its channel {}", call.attempt(),
					exists == null ? "could not be asked for either: taken as placed" : "exists");
			return;
		}
		calls.remove(call.attempt());
		throw new ProviderException("The call could not be placed: " + AriSession.describe(ex));
	}

	/** Whether the PBX has the channel; asked twice if the first answer is lost on the way, then unknown (null). */
	private static @Nullable Boolean exists(AriSession session, String channel) {
		for (int attempt = 0; attempt < 2; attempt++) {
			try {
				session.ari().channels().get(channel).execute();
				return true;
			}
			catch (RestException ex) {
				return ex.getCode() == 404 ? Boolean.FALSE : null;
			}
			catch (RuntimeException ex) {
				log.debug("Asking the PBX for channel {} failed: {}", channel, AriSession.describe(ex));
			}
		}
		return null;
	}

	@Override
	public boolean ready(ProviderConnectionId connection) {
		// A session whose lease may have lapsed places nothing: its calls would be refused, each spending an attempt.
		return sessions.find(connection)
			.filter(found -> found.state() == AriSession.State.CONNECTED && !found.lapsed())
			.isPresent();
	}

	@Override
	public BroadcastPresence presence(ProviderConnectionId connection, UUID attempt) {
		if (calls.containsKey(attempt)) {
			// Followed here: its end, if it came, waits in its lane and will be reported.
			return BroadcastPresence.LIVE;
		}
		var session = sessions.find(connection).filter(found -> found.state() == AriSession.State.CONNECTED).orElse(null);
		if (session == null) {
			return BroadcastPresence.UNKNOWN;
		}
		try {
			session.ari().channels().get(CHANNEL + attempt).execute();
			return BroadcastPresence.LIVE;
		}
		catch (RestException ex) {
			return ex.getCode() == 404 ? BroadcastPresence.GONE : BroadcastPresence.UNKNOWN;
		}
		catch (RuntimeException ex) {
			return BroadcastPresence.UNKNOWN;
		}
	}

	/** Whether an event is about a campaign's channel or playback. */
	static boolean handles(Message message) {
		var id = message instanceof PlaybackFinished finished
				? finished.getPlayback() == null ? null : finished.getPlayback().getId() : channelOf(message);
		return id != null && id.startsWith("vx-k");
	}

	/**
	 * Called on the connection's event thread for the events {@link #handles} takes. Returns whether the event is
	 * done with: the end of a channel handed over to an agent goes on to the call flow, which follows it now.
	 */
	boolean onEvent(AriSession session, Message message) {
		var tenant = session.connection().tenant();
		var channel = channelOf(message);
		var attemptOfChannel = channel == null ? null : attemptOf(channel, CHANNEL);
		if (attemptOfChannel != null && handedOver.contains(attemptOfChannel)) {
			if (message instanceof ChannelDestroyed destroyed) {
				handedOver.remove(attemptOfChannel);
				laneOf(attemptOfChannel).execute(context.carry(() -> {
					forget(attemptOfChannel);
					report(port -> port.ended(tenant, attemptOfChannel, BroadcastOutcome.ANSWERED,
							"handed over to an agent", at(destroyed.getTimestamp())));
				}));
				return false;
			}
			return !(message instanceof StasisStart);
		}
		var attempt = attemptOfChannel != null ? attemptOfChannel : attemptOfPlayback(message);
		if (attempt == null) {
			return true;
		}
		try {
			laneOf(attempt).execute(context.carry(() -> {
				try {
					handle(session, tenant, message);
				}
				catch (RuntimeException ex) {
					// One call's failure (its database write, a request to the PBX) must not stop the others'.
					log.warn("Campaign attempt {}: handling {} failed: {}", attempt, message.getType(), ex.toString());
				}
			}));
		}
		catch (RejectedExecutionException ex) {
			log.debug("Campaign attempt {}: {} arrived while shutting down", attempt, message.getType());
		}
		return true;
	}

	/** The attempt a playback of a campaign's call plays for ({@code vx-kp-<attempt>.<round>}, {@code vx-kb-<attempt>}). */
	private static @Nullable UUID attemptOfPlayback(Message message) {
		if (!(message instanceof PlaybackFinished finished) || finished.getPlayback() == null) {
			return null;
		}
		var id = finished.getPlayback().getId();
		if (id.startsWith(GOODBYE)) {
			return attemptOf(id, GOODBYE);
		}
		return attemptOf(id.substring(0, Math.min(id.length(), PLAYBACK.length() + 36)), PLAYBACK);
	}

	/**
	 * The thread an attempt's events are handled on, in the order Asterisk sent them: the socket's own thread only
	 * hands them out, so that one call's database writes (its answer, who answered, its end) do not hold up every
	 * other call of the connection. Each attempt stays on one lane, so its events keep their order.
	 */
	private ExecutorService laneOf(UUID attempt) {
		return lanes[Math.floorMod(attempt.hashCode(), lanes.length)];
	}

	private final ExecutorService[] lanes = java.util.stream.IntStream.range(0, LANES)
		.mapToObj(lane -> Executors.newSingleThreadExecutor(
				Thread.ofPlatform().name("ari-campaign-" + lane).daemon().factory()))
		.toArray(ExecutorService[]::new);

	static final int LANES = 4;

	private static @Nullable String channelOf(Message message) {
		var channel = switch (message) {
			case StasisStart start -> start.getChannel();
			case ChannelDestroyed destroyed -> destroyed.getChannel();
			case ChannelDtmfReceived dtmf -> dtmf.getChannel();
			case ChannelTalkingStarted talking -> talking.getChannel();
			case ChannelTalkingFinished talked -> talked.getChannel();
			default -> null;
		};
		return channel == null ? null : channel.getId();
	}

	/** Forgets what is kept in memory about an attempt's call. */
	private void forget(UUID attempt) {
		cancelListening(attempt);
		calls.remove(attempt);
		rounds.remove(attempt);
		var call = answered.remove(attempt);
		if (call != null) {
			synchronized (call) {
				call.reschedule(null);
			}
		}
	}

	private void handle(AriSession session, TenantId tenant, Message message) {
		switch (message) {
			case StasisStart start -> {
				var channel = start.getChannel().getId();
				var attempt = attemptOf(channel, CHANNEL);
				if (attempt == null) {
					return;
				}
				answeredNow(session, attempt, at(start.getTimestamp()));
			}
			case ChannelTalkingStarted talking -> {
				var attempt = attemptOf(talking.getChannel().getId(), CHANNEL);
				var call = attempt == null ? null : answered.get(attempt);
				if (call == null) {
					return;
				}
				synchronized (call) {
					call.talking = true;
					if (call.verdict == null) {
						// Talking is reported finished only after SILENCE_MS of silence: a hello has ended by then.
						call.reschedule(later(attempt, () -> judge(session, attempt, AnsweredBy.MACHINE),
								LONGEST_HELLO_MS + SILENCE_MS + 200));
					}
				}
			}
			case ChannelTalkingFinished talked -> {
				var attempt = attemptOf(talked.getChannel().getId(), CHANNEL);
				var call = attempt == null ? null : answered.get(attempt);
				if (call == null) {
					return;
				}
				boolean greetingEnded;
				synchronized (call) {
					call.talking = false;
					greetingEnded = call.awaitingGreetingEnd;
					call.awaitingGreetingEnd = false;
				}
				if (greetingEnded) {
					leaveMessage(session, attempt, call);
				}
				else {
					var spoke = talked.getDuration() == null ? 0 : talked.getDuration();
					judge(session, attempt, spoke > LONGEST_HELLO_MS ? AnsweredBy.MACHINE : AnsweredBy.HUMAN);
				}
			}
			case PlaybackFinished finished -> {
				var id = finished.getPlayback().getId();
				if (id.startsWith(GOODBYE)) {
					var attempt = attemptOf(id, GOODBYE);
					if (attempt != null) {
						hangUp(session, attempt);
					}
					return;
				}
				var attempt = attemptOf(id.substring(0, Math.min(id.length(), PLAYBACK.length() + 36)), PLAYBACK);
				if (attempt == null || !Integer.valueOf(roundOf(id)).equals(rounds.get(attempt))) {
					// A round stopped for a replay, or a call already ending.
					return;
				}
				var call = calls.get(attempt);
				var listen = call == null ? 0 : call.listenSeconds();
				if (listen <= 0) {
					hangUp(session, attempt);
				}
				else {
					listening.put(attempt, later(attempt, () -> silent(session, tenant, attempt),
							TimeUnit.SECONDS.toMillis(listen)));
				}
			}
			case ChannelDtmfReceived dtmf -> {
				var attempt = attemptOf(dtmf.getChannel().getId(), CHANNEL);
				var port = reports.getIfAvailable();
				if (attempt == null || port == null || dtmf.getDigit() == null) {
					return;
				}
				// Machines do not press keys: a key while judging is a person's, who then hears the message.
				judge(session, attempt, AnsweredBy.HUMAN);
				apply(session, attempt, port.key(tenant, attempt, dtmf.getDigit()));
			}
			case ChannelDestroyed destroyed -> {
				var channel = destroyed.getChannel().getId();
				var attempt = attemptOf(channel, CHANNEL);
				if (attempt == null) {
					return;
				}
				var cause = destroyed.getCause() == null ? null
						: destroyed.getCause() + (destroyed.getCause_txt() == null ? "" : " " + destroyed.getCause_txt());
				cancelListening(attempt);
				rounds.remove(attempt);
				var call = answered.remove(attempt);
				BroadcastOutcome outcome;
				if (call == null) {
					outcome = outcome(Q850.cause(destroyed.getCause(), destroyed.getCause_txt(), null).outcome());
				}
				else {
					synchronized (call) {
						call.reschedule(null);
						outcome = call.hungUpOnMachine ? BroadcastOutcome.MACHINE
								: call.leftVoicemail ? BroadcastOutcome.VOICEMAIL : BroadcastOutcome.ANSWERED;
					}
				}
				try {
					report(port -> port.ended(tenant, attempt, outcome, cause, at(destroyed.getTimestamp())));
				}
				finally {
					// Followed until its end is written: the dialer's reconciliation takes a call it does not follow
					// for one whose end was lost.
					calls.remove(attempt);
				}
			}
			default -> {
			}
		}
	}

	/** The attempt answered: reported, then judged (who picked up) before anything is played. */
	private void answeredNow(AriSession session, UUID attempt, Instant at) {
		var tenant = session.connection().tenant();
		known(tenant, attempt);
		report(port -> port.answered(tenant, attempt, at));
		var call = new Answered();
		if (answered.putIfAbsent(attempt, call) == null) {
			listenForSpeech(session, attempt, call);
		}
	}

	/**
	 * The attempt's call as placed here, or, for one placed before a restart of Voxdesk, as its campaign describes it
	 * (so a call answered after the restart still hears its message).
	 */
	private @Nullable BroadcastCall known(TenantId tenant, UUID attempt) {
		var call = calls.get(attempt);
		if (call != null) {
			return call;
		}
		var port = reports.getIfAvailable();
		var recalled = port == null ? Optional.<BroadcastRecall>empty() : port.recall(tenant, attempt);
		recalled.ifPresent(found -> calls.putIfAbsent(attempt, found.call()));
		return recalled.map(BroadcastRecall::call).orElse(null);
	}

	/**
	 * After the event socket (re)connected: campaign calls the PBX has up that this instance knows nothing of were
	 * answered while nobody listened (their StasisStart was lost) or were under way before a restart of Voxdesk. The
	 * first are taken up as just answered; the others, whose place in the message was lost with the restart, are
	 * hung up (their attempt ends answered). Looked at a moment after the connection, so that answers the new socket
	 * already delivers are not taken for lost ones.
	 */
	void onConnected(AriSession session) {
		timers.schedule(context.carry(() -> {
			try {
				adoptLost(session);
			}
			catch (RuntimeException ex) {
				log.warn("ARI connection {}: looking for campaign calls lost meanwhile failed: {}",
						session.connection().id(), AriSession.describe(ex));
			}
		}), ADOPT_AFTER_MS, TimeUnit.MILLISECONDS);
	}

	static final long ADOPT_AFTER_MS = 2000;

	private void adoptLost(AriSession session) {
		if (session.state() != AriSession.State.CONNECTED) {
			return;
		}
		List<Channel> live;
		try {
			live = session.ari().channels().list().execute();
		}
		catch (RestException ex) {
			log.debug("ARI connection {}: listing channels failed: {}", session.connection().id(),
					AriSession.describe(ex));
			return;
		}
		var tenant = session.connection().tenant();
		var port = reports.getIfAvailable();
		var up = live.stream().map(Channel::getId).collect(java.util.stream.Collectors.toSet());
		for (var attempt : List.copyOf(calls.keySet())) {
			var placed = calls.get(attempt);
			if (!up.contains(CHANNEL + attempt) && placed != null
					&& placed.connection().equals(session.connection().id())) {
				// Ended while the socket was down: nothing will report it, the dialer's reconciliation will.
				forget(attempt);
			}
		}
		for (var channel : live) {
			var attempt = attemptOf(channel.getId(), CHANNEL);
			if (attempt == null || !"Up".equals(channel.getState()) || answered.containsKey(attempt) || port == null) {
				continue;
			}
			var recalled = port.recall(tenant, attempt);
			if (recalled.isEmpty() || recalled.get().answered()) {
				log.info("Campaign attempt {}: its call lost its place in the message (Voxdesk restarted); hanging up",
						attempt);
				hangUp(session, attempt);
				continue;
			}
			log.info("Campaign attempt {}: answered while Voxdesk was not listening; playing its message now", attempt);
			calls.putIfAbsent(attempt, recalled.get().call());
			answeredNow(session, attempt, Instant.now());
		}
	}

	/**
	 * Turns talk detection on for the answered call, and gives it {@link #INITIAL_SILENCE_MS} to speak; a PBX that
	 * refuses detection (a channel gone, talk detection unavailable) leaves the call unknown, and the message starts.
	 */
	private void listenForSpeech(AriSession session, UUID attempt, Answered call) {
		synchronized (call) {
			call.reschedule(later(attempt, () -> judge(session, attempt, AnsweredBy.UNKNOWN), INITIAL_SILENCE_MS));
		}
		try {
			session.ari()
				.channels()
				.setChannelVar(CHANNEL + attempt, "TALK_DETECT(set)")
				.setValue(String.valueOf(SILENCE_MS))
				.execute();
		}
		catch (RestException ex) {
			log.debug("Campaign attempt {}: talk detection refused: {}", attempt, AriSession.describe(ex));
			judge(session, attempt, AnsweredBy.UNKNOWN);
		}
		catch (RuntimeException ex) {
			log.warn("Campaign attempt {}: talk detection failed: {}", attempt, AriSession.describe(ex));
			judge(session, attempt, AnsweredBy.UNKNOWN);
		}
	}

	/**
	 * Settles who picked up, once: a person (or unknown) hears the message and its menu; a machine is hung up on, or
	 * gets the message once its greeting ended. Later judgements of the same call change nothing.
	 */
	private void judge(AriSession session, UUID attempt, AnsweredBy verdict) {
		var call = answered.get(attempt);
		if (call == null) {
			return;
		}
		boolean leaveNow = false;
		synchronized (call) {
			if (call.verdict != null) {
				return;
			}
			call.verdict = verdict;
			call.reschedule(null);
			if (verdict == AnsweredBy.MACHINE) {
				var placed = calls.get(attempt);
				if (placed == null || !placed.leaveOnMachine()) {
					call.hungUpOnMachine = true;
				}
				else if (call.talking) {
					call.awaitingGreetingEnd = true;
					call.reschedule(later(attempt, () -> leaveMessage(session, attempt, call), LONGEST_GREETING_MS));
				}
				else {
					leaveNow = true;
				}
			}
		}
		var tenant = session.connection().tenant();
		report(port -> port.classified(tenant, attempt, verdict));
		if (verdict != AnsweredBy.MACHINE) {
			rounds.put(attempt, 0);
			playRound(session, attempt, 0);
		}
		else if (call.hungUpOnMachine) {
			hangUp(session, attempt);
		}
		else if (leaveNow) {
			leaveMessage(session, attempt, call);
		}
	}

	/** Plays the message on a machine whose greeting ended (once), then hangs up: the attempt ends as voicemail. */
	private void leaveMessage(AriSession session, UUID attempt, Answered call) {
		synchronized (call) {
			if (call.leftVoicemail) {
				return;
			}
			call.leftVoicemail = true;
			call.awaitingGreetingEnd = false;
			call.reschedule(null);
		}
		var placed = calls.get(attempt);
		var message = placed == null ? Optional.<String>empty() : flow.media(session, placed.media().get(0));
		if (message.isEmpty()) {
			hangUp(session, attempt);
			return;
		}
		play(session, attempt, GOODBYE + attempt, List.of(message.get()));
	}

	/** The listening time after the media ran out: the campaign says what follows (a prompt again, or goodbye). */
	private void silent(AriSession session, TenantId tenant, UUID attempt) {
		listening.remove(attempt);
		var port = reports.getIfAvailable();
		if (port == null) {
			hangUp(session, attempt);
			return;
		}
		try {
			apply(session, attempt, port.silent(tenant, attempt));
		}
		catch (RuntimeException ex) {
			log.warn("Campaign attempt {}: deciding after a silence failed; hanging up: {}", attempt, ex.toString());
			hangUp(session, attempt);
		}
	}

	/** Does what the campaign answered to a key or a silence. */
	private void apply(AriSession session, UUID attempt, BroadcastReply reply) {
		switch (reply.kind()) {
			case IGNORE -> {
			}
			case REPLAY, PROMPT -> {
				cancelListening(attempt);
				var round = rounds.computeIfPresent(attempt, (id, current) -> current < 0 ? current : current + 1);
				if (round == null || round < 0) {
					return;
				}
				stopPlayback(session, PLAYBACK + attempt + "." + (round - 1));
				if (reply.kind() == BroadcastReply.Kind.REPLAY) {
					playRound(session, attempt, round);
				}
				else {
					var media = resolved(session, reply.media());
					if (media.isEmpty()) {
						hangUp(session, attempt);
					}
					else {
						play(session, attempt, PLAYBACK + attempt + "." + round, media);
					}
				}
			}
			case HAND_OVER -> {
				cancelListening(attempt);
				var round = rounds.put(attempt, -1);
				if (round != null && round >= 0) {
					stopPlayback(session, PLAYBACK + attempt + "." + round);
				}
				handedOver.add(attempt);
				try {
					flow.takeCampaignCall(session, CHANNEL + attempt, Objects.requireNonNull(reply.handover()));
				}
				catch (RuntimeException ex) {
					// Nobody can take them: better goodbye than a person left in silence.
					handedOver.remove(attempt);
					log.warn("Campaign attempt {}: handing the person over failed; hanging up: {}", attempt,
							ex.toString());
					hangUp(session, attempt);
				}
			}
			case HANG_UP -> {
				cancelListening(attempt);
				var round = rounds.put(attempt, -1);
				if (round != null && round >= 0) {
					stopPlayback(session, PLAYBACK + attempt + "." + round);
				}
				var media = resolved(session, reply.media());
				if (media.isEmpty()) {
					hangUp(session, attempt);
				}
				else {
					play(session, attempt, GOODBYE + attempt, media);
				}
			}
		}
	}

	private List<String> resolved(AriSession session, List<String> media) {
		return media.stream().map(item -> flow.media(session, item)).flatMap(Optional::stream).toList();
	}

	/**
	 * Runs {@code action} for the attempt after {@code millis}, on the attempt's lane: behind the events of the call
	 * already waiting there, so that a judgement by the clock ("still talking after 2.5 s: a machine") never overtakes
	 * the event that would have settled it (the talking finished), however far behind the lanes run.
	 */
	private ScheduledFuture<?> later(UUID attempt, Runnable action, long millis) {
		return timers.schedule(context.carry(() -> {
			try {
				laneOf(attempt).execute(context.carry(() -> {
					try {
						action.run();
					}
					catch (RuntimeException ex) {
						log.warn("Campaign attempt {}: a timer's action failed: {}", attempt, ex.toString());
					}
				}));
			}
			catch (RejectedExecutionException ex) {
				log.debug("Campaign attempt {}: a timer ran out while shutting down", attempt);
			}
		}), millis, TimeUnit.MILLISECONDS);
	}

	/** Plays the call's media as round {@code round}; a call placed before a restart (unknown here) is hung up. */
	private void playRound(AriSession session, UUID attempt, int round) {
		var call = calls.get(attempt);
		var media = call == null ? List.<String>of() : resolved(session, call.media());
		if (media.isEmpty()) {
			hangUp(session, attempt);
			return;
		}
		play(session, attempt, PLAYBACK + attempt + "." + round, media);
	}

	private void play(AriSession session, UUID attempt, String playback, List<String> media) {
		for (int tries = 1; tries <= 2; tries++) {
			try {
				session.ari().channels().playWithId(CHANNEL + attempt, playback, String.join(",", media)).execute();
				return;
			}
			catch (RestException ex) {
				// 404: the person hung up; their ChannelDestroyed ends the attempt. 409: the playback exists (the lost
				// answer below was a success).
				log.debug("Campaign attempt {}: playing failed: {}", attempt, AriSession.describe(ex));
				return;
			}
			catch (RuntimeException ex) {
				// The answer was lost on the way (ari4java lets that escape undeclared): asked once more, the same
				// playback id makes a repeat harmless.
				log.info("Campaign attempt {}: playing {} got no answer (try {}): {}", attempt, playback, tries,
						AriSession.describe(ex));
			}
		}
	}

	private static void stopPlayback(AriSession session, String playback) {
		try {
			session.ari().playbacks().stop(playback).execute();
		}
		catch (RestException ex) {
			// 404: it had finished already.
		}
		catch (RuntimeException ex) {
			log.info("Stopping playback {} got no answer: {}", playback, AriSession.describe(ex));
		}
	}

	private void hangUp(AriSession session, UUID attempt) {
		for (int tries = 1; tries <= 2; tries++) {
			try {
				session.ari().channels().hangup(CHANNEL + attempt).setReason("normal").execute();
				return;
			}
			catch (RestException ex) {
				log.debug("Campaign attempt {}: already hung up: {}", attempt, AriSession.describe(ex));
				return;
			}
			catch (RuntimeException ex) {
				log.info("Campaign attempt {}: hanging up got no answer (try {}): {}", attempt, tries,
						AriSession.describe(ex));
			}
		}
	}

	private void cancelListening(UUID attempt) {
		var pending = listening.remove(attempt);
		if (pending != null) {
			pending.cancel(false);
		}
	}

	/** The round a media playback id ends with ({@code vx-kp-<attempt>.<round>}); -2 when it has none. */
	private static int roundOf(String playback) {
		var dot = playback.lastIndexOf('.');
		try {
			return dot < 0 ? -2 : Integer.parseInt(playback.substring(dot + 1));
		}
		catch (NumberFormatException ex) {
			return -2;
		}
	}

	private static BroadcastOutcome outcome(@Nullable CallOutcome outcome) {
		if (outcome == null) {
			return BroadcastOutcome.FAILED;
		}
		return switch (outcome) {
			case BUSY -> BroadcastOutcome.BUSY;
			case NO_ANSWER -> BroadcastOutcome.NO_ANSWER;
			default -> BroadcastOutcome.FAILED;
		};
	}

	private void report(Consumer<BroadcastReports> report) {
		var port = reports.getIfAvailable();
		if (port == null) {
			log.warn("A campaign call's news has nobody to tell: no campaigns module in this application");
			return;
		}
		report.accept(port);
	}

	private static @Nullable UUID attemptOf(String id, String prefix) {
		if (!id.startsWith(prefix)) {
			return null;
		}
		try {
			return UUID.fromString(id.substring(prefix.length()));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static Instant at(@Nullable Date timestamp) {
		return timestamp == null ? Instant.now() : timestamp.toInstant();
	}
}

package io.voxdesk.asterisk.internal;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import ch.loway.oss.ari4java.generated.models.ChannelDestroyed;
import ch.loway.oss.ari4java.generated.models.ChannelDtmfReceived;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.generated.models.PlaybackFinished;
import ch.loway.oss.ari4java.generated.models.StasisStart;
import ch.loway.oss.ari4java.tools.RestException;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.BroadcastCall;
import io.voxdesk.calls.spi.BroadcastDialer;
import io.voxdesk.calls.spi.BroadcastOutcome;
import io.voxdesk.calls.spi.BroadcastPresence;
import io.voxdesk.calls.spi.BroadcastReports;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Places voice campaigns' calls on Asterisk: the number is originated straight into the connection's Stasis
 * application as channel {@code vx-k-<attempt>} (so the PBX's channel list names the attempt after a restart); when
 * it answers it enters Stasis, hears the message (a library item, fetched by Asterisk as {@code sound:http://…}) as
 * playback {@code vx-kp-<attempt>}, and is hung up when the playback finishes. Its {@code ChannelDestroyed} ends the
 * attempt: answered if it entered Stasis, else by its Q.850 cause.
 */
@Component
class AriBroadcasts implements BroadcastDialer, DisposableBean {

	static final String CHANNEL = "vx-k-";

	static final String PLAYBACK = "vx-kp-";

	/** The playback after which the call ends: an opt-out's confirmation. */
	static final String GOODBYE = "vx-kb-";

	private static final Logger log = LoggerFactory.getLogger(AriBroadcasts.class);

	private final AriSessions sessions;

	private final AriCallFlow flow;

	private final ObjectProvider<BroadcastReports> reports;

	/** The calls placed here, by attempt, until their channel is destroyed: what to play again on a replay. */
	private final Map<UUID, BroadcastCall> calls = new ConcurrentHashMap<>();

	/**
	 * Which round of its media each answered call is playing (-1 once it is saying goodbye), until its channel is
	 * destroyed: a stopped round's PlaybackFinished changes nothing, and a call with a round was answered.
	 */
	private final Map<UUID, Integer> rounds = new ConcurrentHashMap<>();

	/** The hang-ups due when a call listened for a key long enough. */
	private final Map<UUID, ScheduledFuture<?>> listening = new ConcurrentHashMap<>();

	private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("ari-campaign-timers").daemon().factory());

	AriBroadcasts(AriSessions sessions, AriCallFlow flow, ObjectProvider<BroadcastReports> reports) {
		this.sessions = sessions;
		this.flow = flow;
		this.reports = reports;
		flow.broadcastsTo(this);
	}

	/** Pending hang-ups stop with Voxdesk. */
	@Override
	public void destroy() {
		timers.shutdownNow();
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
		calls.put(call.attempt(), call);
		try {
			session.ari()
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
			calls.remove(call.attempt());
			throw new ProviderException("The PBX refused the call: " + AriSession.describe(ex));
		}
		catch (RuntimeException ex) {
			calls.remove(call.attempt());
			throw new ProviderException("The call could not be placed: " + AriSession.describe(ex));
		}
	}

	@Override
	public boolean ready(ProviderConnectionId connection) {
		return sessions.find(connection).filter(found -> found.state() == AriSession.State.CONNECTED).isPresent();
	}

	@Override
	public BroadcastPresence presence(ProviderConnectionId connection, UUID attempt) {
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
		var id = switch (message) {
			case StasisStart start -> start.getChannel() == null ? null : start.getChannel().getId();
			case ChannelDestroyed destroyed -> destroyed.getChannel() == null ? null : destroyed.getChannel().getId();
			case PlaybackFinished finished -> finished.getPlayback() == null ? null : finished.getPlayback().getId();
			case ChannelDtmfReceived dtmf -> dtmf.getChannel() == null ? null : dtmf.getChannel().getId();
			default -> null;
		};
		return id != null && id.startsWith("vx-k");
	}

	/** Called on the connection's event thread for the events {@link #handles} takes. */
	void onEvent(AriSession session, Message message) {
		var tenant = session.connection().tenant();
		switch (message) {
			case StasisStart start -> {
				var channel = start.getChannel().getId();
				var attempt = attemptOf(channel, CHANNEL);
				if (attempt == null) {
					return;
				}
				report(port -> port.answered(tenant, attempt, at(start.getTimestamp())));
				rounds.put(attempt, 0);
				playRound(session, attempt, 0);
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
					listening.put(attempt, timers.schedule(() -> hangUp(session, attempt), listen, TimeUnit.SECONDS));
				}
			}
			case ChannelDtmfReceived dtmf -> {
				var attempt = attemptOf(dtmf.getChannel().getId(), CHANNEL);
				var port = reports.getIfAvailable();
				if (attempt == null || port == null || dtmf.getDigit() == null) {
					return;
				}
				var reply = port.key(tenant, attempt, dtmf.getDigit());
				switch (reply.kind()) {
					case IGNORE -> {
					}
					case REPLAY -> {
						cancelListening(attempt);
						var round = rounds.merge(attempt, 1, Integer::sum);
						stopPlayback(session, PLAYBACK + attempt + "." + (round - 1));
						playRound(session, attempt, round);
					}
					case HANG_UP -> {
						cancelListening(attempt);
						var round = rounds.put(attempt, -1);
						if (round != null) {
							stopPlayback(session, PLAYBACK + attempt + "." + round);
						}
						var media = reply.media().stream().map(item -> flow.media(session, item)).flatMap(Optional::stream)
							.toList();
						if (media.isEmpty()) {
							hangUp(session, attempt);
						}
						else {
							play(session, attempt, GOODBYE + attempt, media);
						}
					}
				}
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
				calls.remove(attempt);
				var outcome = rounds.remove(attempt) != null ? BroadcastOutcome.ANSWERED
						: outcome(Q850.cause(destroyed.getCause(), destroyed.getCause_txt(), null).outcome());
				report(port -> port.ended(tenant, attempt, outcome, cause, at(destroyed.getTimestamp())));
			}
			default -> {
			}
		}
	}

	/** Plays the call's media as round {@code round}; a call placed before a restart (unknown here) is hung up. */
	private void playRound(AriSession session, UUID attempt, int round) {
		var call = calls.get(attempt);
		var media = call == null ? List.<String>of()
				: call.media().stream().map(item -> flow.media(session, item)).flatMap(Optional::stream).toList();
		if (media.isEmpty()) {
			hangUp(session, attempt);
			return;
		}
		play(session, attempt, PLAYBACK + attempt + "." + round, media);
	}

	private void play(AriSession session, UUID attempt, String playback, List<String> media) {
		try {
			session.ari().channels().playWithId(CHANNEL + attempt, playback, String.join(",", media)).execute();
		}
		catch (RestException ex) {
			// 404: the person hung up; their ChannelDestroyed ends the attempt.
			log.debug("Campaign attempt {}: playing failed: {}", attempt, AriSession.describe(ex));
		}
	}

	private static void stopPlayback(AriSession session, String playback) {
		try {
			session.ari().playbacks().stop(playback).execute();
		}
		catch (RestException ex) {
			// 404: it had finished already.
		}
	}

	private void hangUp(AriSession session, UUID attempt) {
		try {
			session.ari().channels().hangup(CHANNEL + attempt).setReason("normal").execute();
		}
		catch (RestException ex) {
			log.debug("Campaign attempt {}: already hung up: {}", attempt, AriSession.describe(ex));
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

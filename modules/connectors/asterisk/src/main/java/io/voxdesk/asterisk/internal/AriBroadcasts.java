package io.voxdesk.asterisk.internal;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import ch.loway.oss.ari4java.generated.models.ChannelDestroyed;
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
class AriBroadcasts implements BroadcastDialer {

	static final String CHANNEL = "vx-k-";

	static final String PLAYBACK = "vx-kp-";

	private static final Logger log = LoggerFactory.getLogger(AriBroadcasts.class);

	private final AriSessions sessions;

	private final AriCallFlow flow;

	private final ObjectProvider<BroadcastReports> reports;

	/** The attempts whose channel entered Stasis (answered), until their channel is destroyed. */
	private final Set<String> answered = ConcurrentHashMap.newKeySet();

	AriBroadcasts(AriSessions sessions, AriCallFlow flow, ObjectProvider<BroadcastReports> reports) {
		this.sessions = sessions;
		this.flow = flow;
		this.reports = reports;
		flow.broadcastsTo(this);
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
		var digits = call.number().startsWith("+") ? call.number().substring(1) : call.number();
		var endpoint = connection.setting("outboundEndpoint").replace("{number}", digits).replace("{e164}", call.number());
		try {
			session.ari()
				.channels()
				.originateWithId(CHANNEL + call.attempt(), endpoint)
				.setApp(connection.setting("application"))
				.setAppArgs("campaign," + call.attempt() + "," + call.message())
				.setCallerId(call.callerId())
				.setTimeout(call.ringSeconds())
				.setVariables(Map.of("VOXDESK_CAMPAIGN_ATTEMPT", call.attempt().toString()))
				.execute();
		}
		catch (RestException ex) {
			throw new ProviderException("The PBX refused the call: " + AriSession.describe(ex));
		}
		catch (RuntimeException ex) {
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
				answered.add(channel);
				report(port -> port.answered(tenant, attempt, at(start.getTimestamp())));
				var media = flow.media(session, messageOf(start));
				try {
					if (media.isPresent()) {
						session.ari().channels().playWithId(channel, PLAYBACK + attempt, media.get()).execute();
					}
					else {
						session.ari().channels().hangup(channel).setReason("normal").execute();
					}
				}
				catch (RestException ex) {
					// 404: the person hung up at once; their ChannelDestroyed ends the attempt.
					log.debug("Campaign attempt {}: playing the message failed: {}", attempt, AriSession.describe(ex));
				}
			}
			case PlaybackFinished finished -> {
				var attempt = attemptOf(finished.getPlayback().getId(), PLAYBACK);
				if (attempt == null) {
					return;
				}
				try {
					session.ari().channels().hangup(CHANNEL + attempt).setReason("normal").execute();
				}
				catch (RestException ex) {
					log.debug("Campaign attempt {}: already hung up: {}", attempt, AriSession.describe(ex));
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
				var outcome = answered.remove(channel) ? BroadcastOutcome.ANSWERED
						: outcome(Q850.cause(destroyed.getCause(), destroyed.getCause_txt(), null).outcome());
				report(port -> port.ended(tenant, attempt, outcome, cause, at(destroyed.getTimestamp())));
			}
			default -> {
			}
		}
	}

	/** The message to play: the attempt's {@code audio:<id>}, which the campaigns module puts in the channel's args. */
	private static String messageOf(StasisStart start) {
		var args = start.getArgs();
		return args != null && args.size() >= 3 ? args.get(2) : "";
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

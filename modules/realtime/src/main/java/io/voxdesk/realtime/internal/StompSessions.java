package io.voxdesk.realtime.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import io.voxdesk.calls.PresenceManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.InstanceName;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Every open WebSocket of {@code /ws} and who it authenticated as. A socket that sends no accepted {@code CONNECT}
 * within {@link RealtimeSettings#connectTimeout()} is closed; a session whose access token expired gets a STOMP
 * ERROR frame saying so and is closed (the client connects again with a fresh token), and no message reaches it
 * after the expiry even between two checks.
 */
@Component
class StompSessions implements ChannelInterceptor, SmartLifecycle, MeterBinder {

	static final String TOKEN_EXPIRED = "The access token has expired; connect again with a fresh token";

	private static final Logger log = LoggerFactory.getLogger(StompSessions.class);

	private final Map<String, Tracked> sessions = new ConcurrentHashMap<>();

	private final RealtimeSettings settings;

	private final Clock clock;

	private final ObjectProvider<MessageChannel> clientOutbound;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private volatile boolean running;

	private final ObjectProvider<PresenceManagement> presence;

	/** This instance, as it names itself to the others in the database. */
	private final String instance;

	private final TenantContext context;

	StompSessions(RealtimeSettings settings, Optional<Clock> clock,
			@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutbound,
			ObjectProvider<PresenceManagement> presence, TenantContext context, InstanceName instance) {
		this.instance = instance.value();
		this.presence = presence;
		this.context = context;
		this.settings = settings;
		this.clock = clock.orElse(Clock.systemUTC());
		this.clientOutbound = clientOutbound;
		scheduler.setThreadNamePrefix("stomp-sessions-");
		scheduler.setPoolSize(1);
	}

	/** An open socket: when it opened, and the caller once {@code CONNECT} was accepted. */
	private static final class Tracked {

		final WebSocketSession session;

		final Instant openedAt;

		volatile @Nullable CurrentUser caller;

		volatile boolean errorSent;

		Tracked(WebSocketSession session, Instant openedAt) {
			this.session = session;
			this.openedAt = openedAt;
		}
	}

	/** This instance's open sockets, and those whose {@code CONNECT} was accepted, as {@code voxdesk.realtime.sessions}. */
	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("voxdesk.realtime.sessions", sessions, Map::size)
			.description("WebSockets open on this instance's /ws")
			.tag("state", "open")
			.register(registry);
		Gauge.builder("voxdesk.realtime.sessions", sessions,
				all -> all.values().stream().filter(tracked -> tracked.caller != null).count())
			.description("WebSockets open on this instance's /ws")
			.tag("state", "signed-in")
			.register(registry);
	}

	/** Wraps the STOMP handler so that this registry sees every socket open and close. */
	WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				sessions.put(session.getId(), new Tracked(session, clock.instant()));
				super.afterConnectionEstablished(session);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
				var closed = sessions.remove(session.getId());
				super.afterConnectionClosed(session, status);
				var caller = closed == null ? null : closed.caller;
				if (caller != null && running) {
					var closedAt = clock.instant();
					if (!connectedHere(caller)) {
						scheduler.execute(() -> tellPresence(caller, "disconnected",
								(presence, user) -> presence.disconnected(user, instance)));
					}
					scheduler.schedule(() -> offlineIfStillGone(caller, closedAt), closedAt.plus(settings.presenceGrace()));
				}
			}
		};
	}

	/**
	 * An agent whose last session closed a grace period ago and who has not connected again is offline: the browser
	 * was closed, or its network is gone. A user with another session (another tab) stays as they are.
	 */
	private void offlineIfStillGone(CurrentUser caller, Instant closedAt) {
		var user = caller.user();
		var tenant = caller.tenant();
		if (user == null || tenant == null) {
			return;
		}
		if (connectedHere(caller)) {
			return;
		}
		tellPresence(caller, "offline", (presence, lost) -> presence.connectionLost(lost, closedAt));
	}

	/** Whether the user has a session on this instance (another tab, or the same one connected again). */
	private boolean connectedHere(CurrentUser caller) {
		return sessions.values().stream().map(tracked -> tracked.caller).anyMatch(other -> other != null
				&& Objects.equals(caller.user(), other.user()) && Objects.equals(caller.tenant(), other.tenant()));
	}

	/**
	 * Tells the database, once per agent, that this instance still has their webphone connected: another instance
	 * that saw them disconnect (a reconnect landed here) leaves them as they are, and an instance that dies stops
	 * telling, after which the others make its agents offline.
	 */
	void refreshConnections() {
		sessions.values()
			.stream()
			.map(tracked -> tracked.caller)
			.filter(Objects::nonNull)
			.filter(caller -> caller.user() != null && caller.tenant() != null)
			.collect(Collectors.toMap(caller -> caller.tenant() + "/" + caller.user(), caller -> caller,
					(first, second) -> first))
			.values()
			.forEach(caller -> tellPresence(caller, "connected", (presence, user) -> presence.connected(user, instance)));
	}

	private void tellPresence(CurrentUser caller, String what, BiConsumer<PresenceManagement, UserId> change) {
		var user = caller.user();
		var tenant = caller.tenant();
		if (user == null || tenant == null) {
			return;
		}
		try {
			context.runAs(tenant, () -> change.accept(presence.getObject(), user));
		}
		catch (RuntimeException ex) {
			log.warn("Telling the presence of user {} ({}) failed: {}", user, what, ex.toString());
		}
	}

	/** Records the caller whose {@code CONNECT} was accepted on this session. */
	void authenticated(@Nullable String sessionId, CurrentUser caller) {
		var tracked = sessionId == null ? null : sessions.get(sessionId);
		if (tracked != null) {
			tracked.caller = caller;
			if (running) {
				scheduler.execute(() -> tellPresence(caller, "connected",
						(presence, user) -> presence.connected(user, instance)));
			}
		}
	}

	boolean expired(CurrentUser caller) {
		return caller.expiresAt() != null && !clock.instant().isBefore(caller.expiresAt());
	}

	/** Drops messages to a session whose token has expired; the next check closes it. */
	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		var sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		var tracked = sessionId == null ? null : sessions.get(sessionId);
		var caller = tracked == null ? null : tracked.caller;
		if (caller != null && expired(caller)
				&& SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) == SimpMessageType.MESSAGE) {
			return null;
		}
		return message;
	}

	void check() {
		var now = clock.instant();
		for (var tracked : sessions.values()) {
			var caller = tracked.caller;
			if (caller == null) {
				if (!now.isBefore(tracked.openedAt.plus(settings.connectTimeout()))) {
					log.info("Closing WebSocket {}: no STOMP CONNECT within {}", tracked.session.getId(),
							settings.connectTimeout());
					close(tracked, CloseStatus.POLICY_VIOLATION.withReason("No STOMP CONNECT in time"));
				}
			}
			else if (expired(caller)) {
				if (tracked.errorSent) {
					// The ERROR frame closes the session; if it is still open a check later, close it here.
					close(tracked, CloseStatus.POLICY_VIOLATION.withReason("Access token expired"));
				}
				else {
					log.info("Closing STOMP session {} of user {}: the access token expired", tracked.session.getId(),
							caller.getName());
					tracked.errorSent = true;
					sendError(tracked.session.getId(), TOKEN_EXPIRED);
				}
			}
		}
	}

	/**
	 * Tells every signed-in session, with an ERROR frame (which closes it), that it will hear nothing more here;
	 * the client connects again and reads the current state over REST.
	 */
	void closeAll(String reason) {
		for (var tracked : sessions.values()) {
			if (tracked.caller != null) {
				sendError(tracked.session.getId(), reason);
			}
		}
	}

	private void sendError(String sessionId, String reason) {
		var accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setSessionId(sessionId);
		accessor.setMessage(reason);
		accessor.setContentType(MimeTypeUtils.TEXT_PLAIN);
		var channel = clientOutbound.getObject();
		channel.send(MessageBuilder.createMessage(reason.getBytes(java.nio.charset.StandardCharsets.UTF_8),
				accessor.getMessageHeaders()));
	}

	private static void close(Tracked tracked, CloseStatus status) {
		try {
			tracked.session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Closing WebSocket {} failed", tracked.session.getId(), ex);
		}
	}

	@Override
	public void start() {
		scheduler.initialize();
		scheduler.scheduleWithFixedDelay(this::checkQuietly, settings.sessionCheckInterval());
		scheduler.scheduleWithFixedDelay(this::refreshConnections, settings.presenceRefresh());
		running = true;
	}

	private void checkQuietly() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			log.warn("Checking STOMP sessions failed: {}", ex.toString());
		}
	}

	@Override
	public void stop() {
		scheduler.shutdown();
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}

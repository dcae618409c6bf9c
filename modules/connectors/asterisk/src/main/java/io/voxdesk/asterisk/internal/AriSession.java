package io.voxdesk.asterisk.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.spi.ProviderConnection;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;
import ch.loway.oss.ari4java.generated.ari_10_0_0.models.Message_impl_ari_10_0_0;
import ch.loway.oss.ari4java.generated.models.ApplicationReplaced;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.tools.BaseAriAction;
import ch.loway.oss.ari4java.tools.RestException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised ARI connection: the event WebSocket of the connection's Stasis application and the REST client
 * beside it. A lost socket is reconnected by exactly one attempt at a time, with capped exponential backoff and
 * jitter, each attempt bounded by a timeout (a hung Asterisk must not stall reconnection); a superseded socket is
 * closed at once. The scheduler, shared by every session, only keeps time: whatever may block (an attempt waiting
 * for its socket, the diagnosis of a failure, closing a client) runs on a virtual thread of its own, so that a PBX
 * that swallows packets delays no other tenant's reconnection.
 *
 * <p>The event socket is the JDK's WebSocket, not ari4java's: ari4java hands each WebSocket message to the next
 * thread of its event loop group, so two events of one call could be handled in either order (a ChannelDestroyed
 * before the Dial that said BUSY). Here each message is read, parsed and queued for the session's single event
 * thread in the order Asterisk sent it. ari4java still builds the REST calls and reads their answers, over
 * {@link AriRest} (its own Netty transport can hand one request another's answer), with one client for the session's
 * life that is never "cleaned up": its cleanup unsubscribes every channel of the application, which the next
 * socket of the same application still needs.
 */
final class AriSession {

	private static final Logger log = LoggerFactory.getLogger(AriSession.class);

	/** How long a REST request may wait for its answer (a recording's download is the longest), as ari4java's own. */
	private static final Duration REST_TIMEOUT = Duration.ofSeconds(30);

	/** Why a session whose lease may have lapsed does not connect. */
	private static final String LAPSED = "this instance could not renew its hold on the connection in time";

	/** What the closed socket says; {@link AriCheck#diagnose} finds out why. */
	private static final String CLOSED = "the event WebSocket closed";

	/** Where the session stands, shown in health and in "Test connection". */
	enum State {
		CONNECTING, CONNECTED, DISCONNECTED, REPLACED, STOPPED
	}

	/** Handles the session's events and its (re)connections. */
	interface Listener {

		void onEvent(AriSession session, Message message);

		/** The socket is up (again): events missed meanwhile are gone, so the listener reconciles. */
		void onConnected(AriSession session);
	}

	private final ProviderConnection connection;

	private final AsteriskSettings settings;

	private final ScheduledExecutorService scheduler;

	private final ExecutorService events;

	private final Listener listener;

	private final AriCheck check;

	private final OutboundTargets targets;

	private final HttpClient sockets;

	/** Bumped by every attempt and every loss: a socket or attempt of an older generation is superseded. */
	private final AtomicLong generation = new AtomicLong();

	/** At most one attempt waits or runs at a time. */
	private final AtomicBoolean attemptPending = new AtomicBoolean();

	private final @Nullable AriRest http;

	private final @Nullable ARI rest;

	private volatile @Nullable WebSocket socket;

	private volatile State state = State.CONNECTING;

	private volatile Instant since = Instant.now();

	private volatile @Nullable String lastProblem;

	private volatile Instant lastHeard = Instant.now();

	private volatile @Nullable Instant lostAt;

	private final AtomicInteger failures = new AtomicInteger();

	private volatile @Nullable ScheduledFuture<?> watchdog;

	/** Done once the first attempt has ended, either way. */
	private final CompletableFuture<State> firstAttempt = new CompletableFuture<>();

	/** Runs the listener's work in the connection's tenant scope, fenced by the lease this session serves under. */
	private final Executor scope;

	/** Until when (System.nanoTime) this instance may act on the connection; {@link Long#MAX_VALUE}: no lease kept. */
	private volatile long heldUntil = Long.MAX_VALUE;

	AriSession(ProviderConnection connection, AsteriskSettings settings, OutboundTargets targets, AriCheck check,
			ScheduledExecutorService scheduler, Listener listener, Executor scope) {
		this.scope = scope;
		this.connection = connection;
		this.settings = settings;
		this.targets = targets;
		this.scheduler = scheduler;
		this.listener = listener;
		this.check = check;
		this.sockets = HttpClient.newBuilder().connectTimeout(settings.attemptTimeout()).build();
		this.events = Executors.newSingleThreadExecutor(Thread.ofPlatform()
			.name("ari-events-" + connection.id().toString().substring(0, 8))
			.daemon()
			.factory());
		AriRest client = null;
		ARI ari = null;
		try {
			client = new AriRest(connection, settings.attemptTimeout(), REST_TIMEOUT);
			ari = new ARI();
			ari.setAppName(connection.setting("application"));
			ari.setHttpClient(client);
			// ari4java insists on a WebSocket client too; its events WebSocket is never opened (see above).
			ari.setWsClient(client);
			ari.setVersion(AriVersion.ARI_10_0_0);
		}
		catch (Exception ex) {
			log.warn("ARI connection {}: no REST client for its base URL: {}", connection.id(), describe(ex));
		}
		this.http = client;
		this.rest = ari;
	}

	ProviderConnection connection() {
		return connection;
	}

	State state() {
		return state;
	}

	Instant since() {
		return since;
	}

	@Nullable String lastProblem() {
		return lastProblem;
	}

	/** When the last socket was lost, if it was: the latest moment a call missing afterwards can have ended. */
	@Nullable Instant lostAt() {
		return lostAt;
	}

	void start() {
		scheduleAttempt(Duration.ZERO);
		watchdog = scheduler.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
	}

	/** Runs work that may wait on the network off the shared scheduler. */
	private void blocking(Runnable work) {
		Thread.ofVirtual().name("ari-session-" + connection.id().toString().substring(0, 8)).start(work);
	}

	/**
	 * A socket whose peer vanished without closing it (a PBX host switched off) says nothing: it is pinged, and a
	 * socket that answers nothing for three attempt timeouts counts as lost.
	 */
	private void watch() {
		var current = socket;
		if (state != State.CONNECTED || current == null) {
			return;
		}
		var silence = Duration.between(lastHeard, Instant.now());
		if (silence.compareTo(settings.attemptTimeout().multipliedBy(3)) > 0) {
			var mine = generation.get();
			blocking(() -> lost(mine, "the PBX stopped answering on the event WebSocket"));
		}
		else if (silence.compareTo(settings.attemptTimeout()) > 0) {
			current.sendPing(ByteBuffer.allocate(0));
		}
	}

	/** When the lease was last renewed (System.nanoTime), as {@link #held} was told. */
	long renewedAt(Duration duration) {
		return heldUntil - duration.toNanos();
	}

	/** The lease was renewed at {@code renewedAt} (System.nanoTime) for {@code duration}. */
	void held(long renewedAt, Duration duration) {
		heldUntil = renewedAt + duration.toNanos();
	}

	/**
	 * Whether this instance's lease on the connection may have run out: it could not renew it in time (the database
	 * was unreachable, or the process was paused), so another instance may be serving the connection by now.
	 */
	boolean lapsed() {
		var until = heldUntil;
		return until != Long.MAX_VALUE && System.nanoTime() - until > 0;
	}

	/**
	 * The REST client, while the event socket is up (without events Voxdesk could not follow the call) and the lease
	 * is held (a lapsed holder must not act on calls another instance may be following).
	 */
	ARI ari() {
		if (lapsed()) {
			throw new ProviderException("This Voxdesk instance could not renew its hold on the PBX connection '"
					+ connection.name() + "' in time, so another instance may be serving it; try again in a moment.");
		}
		var current = rest;
		if (current == null || state != State.CONNECTED) {
			throw new ProviderException("Voxdesk is not connected to the PBX '" + connection.name() + "' right now ("
					+ state.name().toLowerCase() + "); it reconnects on its own, try again in a moment.");
		}
		return current;
	}

	void stop() {
		var dog = watchdog;
		if (dog != null) {
			dog.cancel(false);
		}
		generation.incrementAndGet();
		moveTo(State.STOPPED, null);
		close(socket);
		socket = null;
		var client = http;
		if (client != null) {
			// Only the HTTP client: ari4java's cleanup() would also unsubscribe the application's channels.
			blocking(() -> destroy(client));
		}
		events.shutdown();
	}

	private void scheduleAttempt(Duration delay) {
		if (attemptPending.compareAndSet(false, true)) {
			scheduler.schedule(() -> blocking(this::attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void attempt() {
		attemptPending.set(false);
		if (state == State.STOPPED || state == State.REPLACED) {
			return;
		}
		var mine = generation.incrementAndGet();
		close(socket);
		socket = null;
		if (lapsed()) {
			// Connecting would take the Stasis application from the instance that may hold the lease by now.
			retryLater(LAPSED);
			return;
		}
		try {
			// Checked at every attempt, not only when saved: the PBX's name may resolve somewhere else by now.
			targets.check(connection.setting("baseUrl"));
		}
		catch (ProviderException ex) {
			retryLater(ex.getMessage());
			return;
		}
		try {
			var opened = sockets.newWebSocketBuilder()
				.connectTimeout(settings.attemptTimeout())
				.header("Authorization", AriHttp.basic(connection))
				.buildAsync(eventsUri(), new Events(mine))
				.get(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (generation.get() != mine || lapsed()) {
				close(opened);
				if (generation.get() == mine) {
					retryLater(LAPSED);
				}
				return;
			}
			socket = opened;
			lastHeard = Instant.now();
			failures.set(0);
			moveTo(State.CONNECTED, null);
			log.info("ARI connection {} connected to {}", connection.id(), baseUrl(connection));
			events.execute(() -> scope.execute(() -> listener.onConnected(this)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			if (generation.get() == mine) {
				// The JDK says little about a refused socket (a closed channel, an HTTP status): ARI's own answer
				// over plain HTTP tells why.
				retryLater(ex instanceof TimeoutException ? "no answer within the connection timeout" : CLOSED);
			}
		}
	}

	private URI eventsUri() {
		var base = URI.create(baseUrl(connection));
		var scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
		var app = URLEncoder.encode(connection.setting("application"), StandardCharsets.UTF_8);
		return URI.create(scheme + "://" + base.getRawAuthority() + base.getRawPath() + "ari/events?app=" + app
				+ "&subscribeAll=false");
	}

	/** One socket's messages, read one at a time: the next is asked for once this one is queued. */
	private final class Events implements WebSocket.Listener {

		private final long mine;

		private final StringBuilder text = new StringBuilder();

		Events(long mine) {
			this.mine = mine;
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			lastHeard = Instant.now();
			text.append(data);
			if (last) {
				var json = text.toString();
				text.setLength(0);
				deliver(mine, json);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
			lastHeard = Instant.now();
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
			lastHeard = Instant.now();
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			blocking(() -> lost(mine, CLOSED));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			blocking(() -> lost(mine, describe(error)));
		}
	}

	private void deliver(long mine, String json) {
		if (generation.get() != mine) {
			return;
		}
		Message message;
		try {
			message = BaseAriAction.deserializeEvent(json, Message_impl_ari_10_0_0.class);
		}
		catch (RestException | RuntimeException ex) {
			log.debug("ARI connection {}: skipped an event ari4java cannot read: {}", connection.id(), describe(ex));
			return;
		}
		if (message instanceof ApplicationReplaced) {
			blocking(() -> replaced(mine));
			return;
		}
		events.execute(() -> scope.execute(() -> listener.onEvent(this, message)));
	}

	private void lost(long mine, String why) {
		if (generation.compareAndSet(mine, mine + 1)) {
			lostAt = Instant.now();
			close(socket);
			socket = null;
			log.warn("ARI connection {} lost: {}", connection.id(), why);
			retryLater(why);
		}
	}

	/** Another client took the Stasis application; taking it back would make two processes fight over it. */
	private void replaced(long mine) {
		if (!generation.compareAndSet(mine, mine + 1)) {
			return;
		}
		close(socket);
		socket = null;
		moveTo(State.REPLACED, "another program connected with the same Stasis application name '"
				+ connection.setting("application") + "' and took over its events");
		log.warn("ARI connection {}: {}; not reconnecting until the connection is saved or tested again",
				connection.id(), lastProblem);
	}

	private void retryLater(String reason) {
		if (state == State.STOPPED || state == State.REPLACED) {
			return;
		}
		var why = CLOSED.equals(reason) ? check.diagnose(connection) : reason;
		var failed = failures.incrementAndGet();
		var delay = withJitter(backoff(failed));
		moveTo(State.DISCONNECTED, why);
		log.warn("ARI connection {}: attempt {} failed ({}); next attempt in {} ms", connection.id(), failed, why,
				delay.toMillis());
		scheduleAttempt(delay);
	}

	/** The cap of the wait after {@code failures} failed attempts: the first wait, doubled each time, capped. */
	Duration backoff(int failures) {
		var millis = settings.firstRetry().toMillis() << Math.min(failures - 1, 20);
		return Duration.ofMillis(Math.min(millis, settings.maxRetry().toMillis()));
	}

	/**
	 * Half the wait plus a random part of the other half, so that the sessions of many connections to one PBX that
	 * came back do not all knock at the same instant.
	 */
	static Duration withJitter(Duration cap) {
		var half = cap.toMillis() / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
	}

	private void moveTo(State next, @Nullable String problem) {
		if (state != next) {
			since = Instant.now();
		}
		state = next;
		lastProblem = problem;
		if (next != State.CONNECTING) {
			firstAttempt.complete(next);
		}
	}

	/**
	 * The state once the first attempt has ended, waiting at most {@code patience} for it: a connection just created
	 * or saved is connecting, which is neither up nor failed.
	 */
	State settled(Duration patience) {
		try {
			firstAttempt.get(patience.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Still connecting: the caller says so.
		}
		return state;
	}

	private static String baseUrl(ProviderConnection connection) {
		var url = connection.setting("baseUrl");
		return url.endsWith("/") ? url : url + "/";
	}

	private static void close(@Nullable WebSocket socket) {
		if (socket != null) {
			socket.abort();
		}
	}

	private static void destroy(AriRest client) {
		try {
			client.destroy();
		}
		catch (Exception ex) {
			log.debug("ARI client shutdown failed", ex);
		}
	}

	/** A reason a person can read, from whatever ari4java, Netty or the JDK threw (never the credentials). */
	static String describe(Throwable ex) {
		var root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (ex instanceof TimeoutException || root instanceof TimeoutException
				|| root instanceof java.net.http.HttpTimeoutException) {
			return "no answer within the connection timeout";
		}
		if (root instanceof java.net.ConnectException || root.getClass().getSimpleName().contains("ConnectException")) {
			return "connection refused";
		}
		var message = root.getMessage();
		return message == null ? root.getClass().getSimpleName() : message;
	}
}

package io.voxdesk.asterisk.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;
import ch.loway.oss.ari4java.generated.models.ApplicationReplaced;
import ch.loway.oss.ari4java.generated.models.Message;
import ch.loway.oss.ari4java.tools.AriConnectionEvent;
import ch.loway.oss.ari4java.tools.AriWSCallback;
import ch.loway.oss.ari4java.tools.RestException;
import ch.loway.oss.ari4java.tools.http.NettyHttpClient;

import io.voxdesk.asterisk.AsteriskSettings;
import io.voxdesk.calls.ProviderConnection;
import io.voxdesk.calls.ProviderException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised ARI connection: the event WebSocket of the connection's Stasis application and the REST client
 * beside it. A lost socket is reconnected with capped exponential backoff, each attempt bounded by a timeout (a
 * hung Asterisk must not stall reconnection). Events of one connection are handled one at a time, in order.
 */
final class AriSession {

	private static final Logger log = LoggerFactory.getLogger(AriSession.class);

	static {
		// Reconnection is supervised here (backoff, per-attempt timeout, reconciliation), not inside ari4java.
		NettyHttpClient.setAutoReconnect(false);
	}

	private static final ExecutorService OPENERS = Executors.newCachedThreadPool(Thread.ofPlatform()
		.name("ari-open-", 0)
		.daemon()
		.factory());

	/** All ari4java says when the socket closes or cannot open; {@link AriCheck#diagnose} finds out why. */
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

	private final AtomicLong generation = new AtomicLong();

	private volatile @Nullable ARI ari;

	private volatile State state = State.CONNECTING;

	private volatile Instant since = Instant.now();

	private volatile @Nullable String lastProblem;

	private int failures;

	private volatile @Nullable ScheduledFuture<?> watchdog;

	AriSession(ProviderConnection connection, AsteriskSettings settings, ScheduledExecutorService scheduler,
			Listener listener) {
		this.connection = connection;
		this.settings = settings;
		this.scheduler = scheduler;
		this.listener = listener;
		this.check = new AriCheck(settings);
		this.events = Executors.newSingleThreadExecutor(Thread.ofPlatform()
			.name("ari-events-" + connection.id().toString().substring(0, 8))
			.daemon()
			.factory());
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

	void start() {
		scheduler.execute(this::attempt);
		watchdog = scheduler.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
	}

	/**
	 * ari4java does not always tell its callback that the socket closed (with its own reconnection off, the
	 * failure can end inside it), so the socket is also checked every second.
	 */
	private void watch() {
		var current = ari;
		if (state == State.CONNECTED && current != null && !current.isWsConnected()) {
			lost(generation.get(), CLOSED);
		}
	}

	/** The REST client, while the event socket is up (without events Voxdesk could not follow the call). */
	ARI ari() {
		var current = ari;
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
		release(ari);
		ari = null;
		events.shutdown();
	}

	private void attempt() {
		if (state == State.STOPPED || state == State.REPLACED) {
			return;
		}
		var mine = generation.incrementAndGet();
		var candidate = new AtomicReference<@Nullable ARI>();
		try {
			var connected = new CompletableFuture<Void>();
			// ari4java can block inside eventsCallback when the connection fails early, so it runs on its own
			// thread and this attempt's timeout still holds.
			CompletableFuture.runAsync(() -> {
				try {
					var ari = ARI.build(baseUrl(), connection.setting("application"), connection.setting("username"),
							connection.secret(), AriVersion.ARI_10_0_0);
					candidate.set(ari);
					ari.eventsCallback(callback(mine, connected), false);
				}
				catch (Exception ex) {
					connected.completeExceptionally(ex);
				}
			}, OPENERS);
			connected.get(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (generation.get() != mine) {
				release(candidate.get());
				return;
			}
			ari = candidate.get();
			failures = 0;
			moveTo(State.CONNECTED, null);
			log.info("ARI connection {} connected to {}", connection.id(), baseUrl());
			events.execute(() -> listener.onConnected(this));
		}
		catch (Exception ex) {
			release(candidate.get());
			if (generation.get() == mine) {
				retryLater(describe(ex));
			}
		}
	}

	private AriWSCallback<Message> callback(long mine, CompletableFuture<Void> connected) {
		return new AriWSCallback<>() {

			@Override
			public void onSuccess(Message message) {
				if (generation.get() != mine) {
					return;
				}
				if (message instanceof ApplicationReplaced) {
					scheduler.execute(() -> replaced(mine));
					return;
				}
				events.execute(() -> listener.onEvent(AriSession.this, message));
			}

			@Override
			public void onFailure(RestException ex) {
				if (!connected.isDone()) {
					connected.completeExceptionally(ex);
				}
				else {
					// Never on a Netty thread: releasing the client makes blocking HTTP calls on that event loop.
					scheduler.execute(() -> lost(mine, describe(ex)));
				}
			}

			@Override
			public void onConnectionEvent(AriConnectionEvent event) {
				if (event == AriConnectionEvent.WS_CONNECTED) {
					connected.complete(null);
				}
				else if (connected.isDone()) {
					scheduler.execute(() -> lost(mine, CLOSED));
				}
				else {
					// ari4java reports the reason (refused, 401, ...) through onFailure just after this; wait for it.
					scheduler.schedule(() -> connected.completeExceptionally(
							new IllegalStateException(CLOSED)), 300, TimeUnit.MILLISECONDS);
				}
			}
		};
	}

	private void lost(long mine, String why) {
		if (generation.compareAndSet(mine, mine + 1)) {
			var previous = ari;
			ari = null;
			release(previous);
			log.warn("ARI connection {} lost: {}", connection.id(), why);
			retryLater(why);
		}
	}

	/** Another client took the Stasis application; taking it back would make two processes fight over it. */
	private void replaced(long mine) {
		if (!generation.compareAndSet(mine, mine + 1)) {
			return;
		}
		var previous = ari;
		ari = null;
		release(previous);
		moveTo(State.REPLACED, "another program connected with the same Stasis application name '"
				+ connection.setting("application") + "' and took over its events");
		log.error("ARI connection {}: {}; not reconnecting until the connection is saved or tested again",
				connection.id(), lastProblem);
	}

	private void retryLater(String reason) {
		var why = CLOSED.equals(reason) ? check.diagnose(connection) : reason;
		failures++;
		var delay = backoff(failures);
		moveTo(State.DISCONNECTED, why);
		log.info("ARI connection {} retries in {} ms ({})", connection.id(), delay.toMillis(), why);
		scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	Duration backoff(int failures) {
		var millis = settings.firstRetry().toMillis() << Math.min(failures - 1, 20);
		return Duration.ofMillis(Math.min(millis, settings.maxRetry().toMillis()));
	}

	private void moveTo(State next, @Nullable String problem) {
		if (state != next) {
			since = Instant.now();
		}
		state = next;
		lastProblem = problem;
	}

	private String baseUrl() {
		var url = connection.setting("baseUrl");
		return url.endsWith("/") ? url : url + "/";
	}

	/**
	 * Lets go of a client in the background: ari4java's cleanup makes blocking HTTP calls that can hang on a PBX
	 * that is down, and must not hold up the next attempt.
	 */
	private static void release(@Nullable ARI ari) {
		if (ari != null) {
			OPENERS.execute(() -> {
				try {
					ari.cleanup();
				}
				catch (Exception ex) {
					// Netty's connect exceptions escape ari4java undeclared.
					log.debug("ARI cleanup failed", ex);
				}
			});
		}
	}

	/** A reason a person can read, from whatever ari4java or Netty threw (never the credentials). */
	static String describe(Throwable ex) {
		var root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (ex instanceof java.util.concurrent.TimeoutException || root instanceof java.util.concurrent.TimeoutException) {
			return "no answer within the connection timeout";
		}
		if (root instanceof java.net.ConnectException || root.getClass().getSimpleName().contains("ConnectException")) {
			return "connection refused";
		}
		var message = root.getMessage();
		return message == null ? root.getClass().getSimpleName() : message;
	}
}

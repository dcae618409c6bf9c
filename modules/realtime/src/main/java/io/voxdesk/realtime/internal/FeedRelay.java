package io.voxdesk.realtime.internal;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.MimeType;

/**
 * Carries the live feeds between instances over one STOMP connection per instance to RabbitMQ's STOMP plugin. Each
 * frame the application sends (to a tenant's topic or to a user's queue) is published once, to the broker topic
 * {@code voxdesk.feeds} with its destination in a header; every instance, the sender included, takes each frame
 * from there once and hands it to its in-memory broker, which delivers it to the browsers connected to it. The
 * broker thus sees one connection per instance however many browsers there are (Spring's broker relay opened one per
 * browser, and queued for seconds at a thousand of them), and a user's frames reach their sessions on whichever
 * instance they landed, without the instances having to tell each other who is connected where.
 * <p>
 * Frames are published by one sender thread over one connection and taken back over one subscription, and the broker
 * keeps the order of each, so a browser hears one instance's frames in the order that instance sent them (two
 * instances' frames about one call may cross: the first state of a click comes from the instance that took it).
 * Publishing never blocks the caller: a full queue (the broker stopped reading, e.g. under a memory alarm) drops
 * frames, counted, and a write that takes longer than {@link #SLOW_WRITE} makes the feeds DOWN until it goes
 * through. While they are
 * DOWN this instance's browsers get an ERROR frame (they would hear nothing more), new ones are refused, and frames
 * sent meanwhile are dropped and counted; clients read the current state over REST once connected again. Browsers
 * on other instances are not told: frames this instance would have sent them are lost too, which its own
 * {@code liveFeeds} health shows.
 */
final class FeedRelay implements SmartLifecycle, MeterBinder {

	/** The broker topic (RabbitMQ's {@code amq.topic} routing key) every instance publishes to and subscribes to. */
	static final String ROUTE = "/topic/voxdesk.feeds";

	/** The STOMP header that carries a frame's destination, as the application and its clients name it. */
	static final String DESTINATION = "voxdesk-destination";

	/** The STOMP header that names the record a tenant feed's frame is about, for {@link Conflation}. */
	static final String RECORD = "voxdesk-record";

	/** Reconnection waits double from the first to the last. */
	private static final Duration FIRST_RETRY = Duration.ofMillis(500);

	private static final Duration LAST_RETRY = Duration.ofSeconds(5);

	/** How long a starting instance waits for the broker before it declares itself ready anyway (feeds DOWN). */
	private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

	/** A connection attempt not CONNECTED and subscribed within this is given up (a paused broker accepts TCP). */
	static final Duration CONNECT_DEADLINE = Duration.ofSeconds(10);

	/** A write to the broker taking longer than this makes the feeds DOWN until a new connection is up. */
	static final Duration SLOW_WRITE = Duration.ofSeconds(5);

	/** Frames waiting for the sender thread; beyond this they are dropped (the broker is not reading). */
	static final int QUEUE = 10_000;

	private static final Logger log = LoggerFactory.getLogger(FeedRelay.class);

	private final RealtimeSettings.Relay relay;

	private final LocalFeeds local;

	/** Tells this instance's browsers, once the connection is lost, that they will hear nothing more here. */
	private final Consumer<String> tellBrowsers;

	private final Clock clock;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final ReactorNettyTcpStompClient client;

	private final AtomicBoolean reconnectScheduled = new AtomicBoolean();

	private final AtomicInteger failedAttempts = new AtomicInteger();

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final CompletableFuture<Void> firstAvailable = new CompletableFuture<>();

	/** The attempt whose connection is (or is becoming) the current one; older attempts are ignored and closed. */
	private volatile @Nullable Attempt current;

	private final AtomicInteger attempts = new AtomicInteger();

	private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
			new ArrayBlockingQueue<>(QUEUE), Thread.ofPlatform().name("feed-relay-sender").daemon().factory());

	/** When the write in progress started (nanoTime), or 0 when none is, and on which attempt's connection. */
	private volatile long writingSince;

	private volatile @Nullable Attempt writingOn;

	/** Whether this instance's browsers were told about the write that is stuck now. */
	private volatile boolean stuckTold;

	private volatile boolean available;

	private volatile Instant since;

	private volatile boolean running;

	FeedRelay(RealtimeSettings.Relay relay, LocalFeeds local, Consumer<String> tellBrowsers, Clock clock) {
		this.relay = relay;
		this.local = local;
		this.tellBrowsers = tellBrowsers;
		this.clock = clock;
		this.since = clock.instant();
		scheduler.setThreadNamePrefix("feed-relay-");
		scheduler.setPoolSize(1);
		client = new ReactorNettyTcpStompClient(relay.host(), relay.port());
		client.setTaskScheduler(scheduler);
		// A broker that stops answering (a partition, a frozen node) is noticed within seconds, not at the next frame.
		client.setDefaultHeartbeat(new long[] { 5_000, 5_000 });
	}

	/** Whether frames published now reach the browsers: connected, and subscribed to {@link #ROUTE}. */
	boolean available() {
		return available && !stuck();
	}

	/** A write has waited for {@link #SLOW_WRITE}: the broker stopped reading (a memory or disk alarm, a partition). */
	private boolean stuck() {
		var since = writingSince;
		return since != 0 && System.nanoTime() - since > SLOW_WRITE.toNanos();
	}

	/** When {@link #available()} last changed. */
	Instant since() {
		return since;
	}

	/** Where this relay connects, for health and logs (no credentials). */
	String describe() {
		return "RabbitMQ STOMP at " + relay.host() + ":" + relay.port() + relay.virtualHost();
	}

	/**
	 * Publishes a frame the application converted for {@code destination} ({@code /topic/...} or {@code /user/...}),
	 * or drops it, counted, while the broker is unreachable or not reading. Never blocks.
	 */
	void publish(String destination, byte[] payload, @Nullable MimeType type, @Nullable String record) {
		if (!available()) {
			dropped.incrementAndGet();
			log.debug("Live feed frame to {} dropped: the broker is unreachable", destination);
			return;
		}
		var headers = new StompHeaders();
		headers.setDestination(ROUTE);
		headers.set(DESTINATION, destination);
		if (record != null) {
			headers.set(RECORD, record);
		}
		if (type != null) {
			headers.setContentType(type);
		}
		try {
			sender.execute(() -> send(destination, headers, payload));
		}
		catch (RejectedExecutionException full) {
			dropped.incrementAndGet();
			log.debug("Live feed frame to {} dropped: {} frames wait for the broker", destination, QUEUE);
		}
	}

	/** On the sender thread: one write at a time, in the order the frames were published. */
	private void send(String destination, StompHeaders headers, byte[] payload) {
		var attempt = current;
		var connected = attempt == null ? null : attempt.session;
		if (!available || connected == null) {
			dropped.incrementAndGet();
			return;
		}
		writingOn = attempt;
		writingSince = System.nanoTime();
		try {
			connected.send(headers, payload);
			published.incrementAndGet();
		}
		catch (RuntimeException ex) {
			dropped.incrementAndGet();
			log.debug("Live feed frame to {} could not be published: {}", destination, ex.toString());
		}
		finally {
			writingSince = 0;
			if (stuckTold) {
				stuckTold = false;
				log.info("Writes to {} go through again", describe());
			}
		}
	}

	/**
	 * Every second: a write stuck for {@link #SLOW_WRITE} makes the feeds DOWN ({@link #available()}) until it returns;
	 * the browsers are told once, and the connection it is stuck on is given up once. Nothing more can be written
	 * meanwhile (frames queue, then drop), so new connections are not given up in turn: that would only make the
	 * browsers reconnect over and over while the broker does not read.
	 */
	private void watchWrites() {
		if (!stuck() || stuckTold) {
			return;
		}
		stuckTold = true;
		log.warn("A write to {} has been waiting for over {} s: live feeds DOWN until it goes through", describe(),
				SLOW_WRITE.toSeconds());
		tellBrowsers.accept(StompAccess.LIVE_FEEDS_DOWN);
		var attempt = writingOn;
		if (attempt != null) {
			attempt.lost("a write has been waiting for over " + SLOW_WRITE.toSeconds() + " s");
		}
	}

	/** Hands a frame taken from the broker to this instance's in-memory broker. */
	private void deliver(StompHeaders headers, byte[] payload) {
		var destination = headers.getFirst(DESTINATION);
		if (destination == null || !(destination.startsWith("/topic/") || destination.startsWith("/user/"))) {
			// Only instances publish here (the broker's credentials guard it); anything else is not a live feed frame.
			log.warn("A frame on {} without a live feed destination was ignored", ROUTE);
			return;
		}
		received.incrementAndGet();
		local.deliver(destination, payload, headers.getContentType(), headers.getFirst(RECORD));
	}

	/**
	 * One connection attempt and, once CONNECTED, its session. Whatever an attempt reports after a newer one started
	 * (a late failure of a connection already replaced, a receipt after the loss) is ignored, and a connection that
	 * an abandoned attempt still makes is closed.
	 */
	private final class Attempt implements StompSessionHandler {

		final int number = attempts.incrementAndGet();

		volatile @Nullable StompSession session;

		volatile boolean over;

		boolean isCurrent() {
			return current == this && !over;
		}

		@Override
		public void afterConnected(StompSession connected, StompHeaders connectedHeaders) {
			session = connected;
			if (!isCurrent() || !running) {
				quietly(connected::disconnect);
				return;
			}
			var subscribe = new StompHeaders();
			subscribe.setDestination(ROUTE);
			// Available once the broker confirms the subscription: frames published before that would not come back.
			subscribe.setReceipt("voxdesk-feeds-" + number);
			var subscription = connected.subscribe(subscribe, new StompFrameHandler() {

				@Override
				public Type getPayloadType(StompHeaders headers) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders headers, @Nullable Object payload) {
					if (isCurrent()) {
						deliver(headers, payload instanceof byte[] bytes ? bytes : new byte[0]);
					}
				}
			});
			subscription.addReceiptTask(() -> {
				synchronized (FeedRelay.this) {
					if (isCurrent()) {
						up();
					}
				}
			});
			subscription.addReceiptLostTask(() -> lost("the broker did not confirm the live feed subscription"));
		}

		@Override
		public void handleFrame(StompHeaders headers, @Nullable Object payload) {
			// Only ERROR frames reach the session handler; the broker closes the connection after one.
			log.warn("{} sent an ERROR frame: {}", describe(), headers.getFirst("message"));
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleException(StompSession failed, @Nullable StompCommand command, StompHeaders headers,
				byte[] payload, Throwable exception) {
			log.warn("A live feed frame from {} could not be delivered: {}", describe(), exception.toString());
		}

		@Override
		public void handleTransportError(StompSession failed, Throwable exception) {
			lost(exception.toString());
		}

		/** This attempt's connection failed, closed or is no use: the feeds are DOWN until the next one is up. */
		void lost(String why) {
			synchronized (FeedRelay.this) {
				lostLocked(why);
			}
		}

		private void lostLocked(String why) {
			if (!isCurrent()) {
				return;
			}
			over = true;
			var connected = session;
			if (connected != null) {
				// Spring swallows a failed DISCONNECT and then reports nothing more; the next attempt is scheduled here.
				disconnectLater(connected);
			}
			if (available) {
				available = false;
				since = clock.instant();
				log.warn("Live feeds DOWN, {} lost: {}; telling this instance's browsers and reconnecting", describe(), why);
				tellBrowsers.accept(StompAccess.LIVE_FEEDS_DOWN);
			}
			else {
				log.debug("Connecting to {} failed: {}", describe(), why);
			}
			scheduleReconnect();
		}
	}

	private void up() {
		failedAttempts.set(0);
		available = true;
		since = clock.instant();
		firstAvailable.complete(null);
		log.info("Live feeds relayed through {}", describe());
	}

	/** Not on the caller's thread: with the broker not reading, the DISCONNECT waits behind a stuck write. */
	private static void disconnectLater(StompSession connected) {
		Thread.ofVirtual().start(() -> quietly(connected::disconnect));
	}

	private static void quietly(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			log.debug("Closing a broker connection failed: {}", ex.toString());
		}
	}

	private void scheduleReconnect() {
		if (!running || !reconnectScheduled.compareAndSet(false, true)) {
			return;
		}
		var attempt = Math.min(failedAttempts.getAndIncrement(), 10);
		var wait = FIRST_RETRY.multipliedBy(1L << attempt);
		var delay = wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait;
		scheduler.schedule(() -> {
			reconnectScheduled.set(false);
			connect();
		}, Instant.now().plus(delay));
	}

	private void connect() {
		if (!running) {
			return;
		}
		var attempt = new Attempt();
		current = attempt;
		var headers = new StompHeaders();
		headers.setLogin(relay.login());
		headers.setPasscode(relay.passcode());
		// RabbitMQ takes the virtual host from the host header.
		headers.setHost(relay.virtualHost());
		// A failure reaches handleTransportError too, which schedules the next attempt.
		client.connectAsync(headers, attempt);
		scheduler.schedule(() -> {
			if (attempt.isCurrent() && !available) {
				attempt.lost("not connected and subscribed within " + CONNECT_DEADLINE.toSeconds() + " s");
			}
		}, Instant.now().plus(CONNECT_DEADLINE));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("voxdesk.realtime.relay.available", this, relay -> relay.available() ? 1 : 0)
			.description("1 while the live feeds' broker connection is up, subscribed and taking writes")
			.register(registry);
		Map.of("published", published, "received", received, "dropped", dropped)
			.forEach((direction, count) -> FunctionCounter.builder("voxdesk.realtime.relay.frames", count, AtomicLong::get)
				.description("Live feed frames through the broker")
				.tag("direction", direction)
				.register(registry));
	}

	@Override
	public void start() {
		scheduler.initialize();
		running = true;
		scheduler.scheduleWithFixedDelay(this::watchWrites, Duration.ofSeconds(1));
		connect();
		try {
			// Readiness follows start-up: an instance that can relay when it says ready does not refuse its first browsers.
			firstAvailable.get(STARTUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			log.warn("{} not reachable after {}; live feeds stay DOWN until it is", describe(), STARTUP_WAIT);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop() {
		running = false;
		available = false;
		sender.shutdownNow();
		var attempt = current;
		var connected = attempt == null ? null : attempt.session;
		if (connected != null && connected.isConnected()) {
			disconnectLater(connected);
		}
		client.shutdown();
		scheduler.shutdown();
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}

package io.voxdesk.realtime.internal;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.support.MessageBuilder;
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
 * One connection carries every frame, and the broker keeps its order, so each browser hears the frames in the order
 * the application sent them. While the connection is down this instance's feeds are DOWN: its browsers get an
 * ERROR frame (they would hear nothing more), new ones are refused, and frames sent meanwhile are dropped and
 * counted; clients read the current state over REST once they are connected again.
 */
final class FeedRelay implements SmartLifecycle, StompSessionHandler, MeterBinder {

	/** The broker topic (RabbitMQ's {@code amq.topic} routing key) every instance publishes to and subscribes to. */
	static final String ROUTE = "/topic/voxdesk.feeds";

	/** The STOMP header that carries a frame's destination, as the application and its clients name it. */
	static final String DESTINATION = "voxdesk-destination";

	/** Reconnection waits double from the first to the last. */
	private static final Duration FIRST_RETRY = Duration.ofMillis(500);

	private static final Duration LAST_RETRY = Duration.ofSeconds(5);

	/** How long a starting instance waits for the broker before it declares itself ready anyway (feeds DOWN). */
	private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(FeedRelay.class);

	private final RealtimeSettings.Relay relay;

	private final SimpMessagingTemplate local;

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

	private final AtomicInteger subscriptions = new AtomicInteger();

	private final CompletableFuture<Void> firstAvailable = new CompletableFuture<>();

	private volatile @Nullable StompSession session;

	private volatile boolean available;

	private volatile Instant since;

	private volatile boolean running;

	FeedRelay(RealtimeSettings.Relay relay, SimpMessagingTemplate local, Consumer<String> tellBrowsers, Clock clock) {
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
		return available;
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
	 * or drops it, counted, while the broker is unreachable.
	 */
	void publish(String destination, Message<?> converted) {
		var current = session;
		if (!available || current == null || !(converted.getPayload() instanceof byte[] payload)) {
			dropped.incrementAndGet();
			log.debug("Live feed frame to {} dropped: the broker is unreachable", destination);
			return;
		}
		var headers = new StompHeaders();
		headers.setDestination(ROUTE);
		headers.set(DESTINATION, destination);
		var type = converted.getHeaders().get(MessageHeaders.CONTENT_TYPE);
		if (type != null) {
			headers.setContentType(type instanceof MimeType mime ? mime : MimeType.valueOf(type.toString()));
		}
		try {
			current.send(headers, payload);
			published.incrementAndGet();
		}
		catch (RuntimeException ex) {
			dropped.incrementAndGet();
			log.warn("Live feed frame to {} could not be published: {}", destination, ex.toString());
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
		var accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		var type = headers.getContentType();
		if (type != null) {
			accessor.setContentType(type);
		}
		accessor.setLeaveMutable(true);
		local.send(destination, MessageBuilder.createMessage(payload, accessor.getMessageHeaders()));
	}

	@Override
	public void afterConnected(StompSession connected, StompHeaders connectedHeaders) {
		session = connected;
		var subscribe = new StompHeaders();
		subscribe.setDestination(ROUTE);
		// Available once the broker confirms the subscription: frames published before that would not come back.
		subscribe.setReceipt("voxdesk-feeds-" + subscriptions.incrementAndGet());
		var subscription = connected.subscribe(subscribe, new StompFrameHandler() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				deliver(headers, payload instanceof byte[] bytes ? bytes : new byte[0]);
			}
		});
		subscription.addReceiptTask(this::up);
		subscription.addReceiptLostTask(() -> {
			log.warn("{} did not confirm the live feed subscription; connecting again", describe());
			connected.disconnect();
			lost(connected, "no subscription receipt");
		});
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
	public void handleException(StompSession failed, @Nullable StompCommand command, StompHeaders headers, byte[] payload,
			Throwable exception) {
		log.warn("A live feed frame from {} could not be delivered: {}", describe(), exception.toString());
	}

	@Override
	public void handleTransportError(StompSession failed, Throwable exception) {
		lost(failed, exception.toString());
	}

	private void up() {
		failedAttempts.set(0);
		available = true;
		since = clock.instant();
		firstAvailable.complete(null);
		log.info("Live feeds relayed through {}", describe());
	}

	private void lost(StompSession failed, String why) {
		var current = session;
		if (current != null && current != failed) {
			// A late word from a connection already replaced.
			return;
		}
		session = null;
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
		var headers = new StompHeaders();
		headers.setLogin(relay.login());
		headers.setPasscode(relay.passcode());
		// RabbitMQ takes the virtual host from the host header.
		headers.setHost(relay.virtualHost());
		// A failure reaches handleTransportError too, which schedules the next attempt.
		client.connectAsync(headers, this);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("voxdesk.realtime.relay.available", this, relay -> relay.available ? 1 : 0)
			.description("1 while the live feeds' broker connection is up and subscribed")
			.register(registry);
		FunctionCounter.builder("voxdesk.realtime.relay.frames", published, AtomicLong::get)
			.description("Live feed frames through the broker")
			.tag("direction", "published")
			.register(registry);
		FunctionCounter.builder("voxdesk.realtime.relay.frames", received, AtomicLong::get)
			.description("Live feed frames through the broker")
			.tag("direction", "received")
			.register(registry);
		FunctionCounter.builder("voxdesk.realtime.relay.frames", dropped, AtomicLong::get)
			.description("Live feed frames through the broker")
			.tag("direction", "dropped")
			.register(registry);
	}

	@Override
	public void start() {
		scheduler.initialize();
		running = true;
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
		var current = session;
		if (current != null && current.isConnected()) {
			try {
				current.disconnect();
			}
			catch (RuntimeException ex) {
				log.debug("Disconnecting from {} failed", describe(), ex);
			}
		}
		client.shutdown();
		scheduler.shutdown();
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}

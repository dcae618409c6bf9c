package io.voxdesk.realtime.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.broker.OrderedMessageChannelDecorator;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.stereotype.Component;

/**
 * Spares a browser that has fallen behind the states a newer one has already replaced. Each frame of a tenant's feed
 * ({@code /topic/tenants/...}) is stamped, as it enters this instance's broker, with the record it is about (a call,
 * an agent's presence, a campaign) and a sequence number; when a session's turn comes to have a frame written and a
 * newer frame about the same record is already on its way to it, the older one is skipped: records are whole, never
 * deltas, so the newer one says all of it. Without a backlog nothing is skipped, since a frame is written before the
 * next one about its record arrives; under load (thousands of monitors on one tenant) each session gets the latest
 * state of each record instead of queueing every state it missed. Users' own queues are never conflated: an agent's
 * webphone hears every state of its calls.
 */
@Component
class Conflation implements ExecutorChannelInterceptor, MeterBinder {

	/** The message header that carries a frame's {@link Stamp}; not a STOMP header, so clients never see it. */
	static final String STAMP = "voxdeskStamp";

	/** Beyond this many records the newest sequence numbers are forgotten: frames then go out unconflated, never lost. */
	static final int RECORDS = 100_000;

	/** A frame's record (destination and id) and its place in the order frames entered the broker. */
	record Stamp(String record, long sequence) {
	}

	private final AtomicLong sequence = new AtomicLong();

	private final ConcurrentHashMap<String, Long> newest = new ConcurrentHashMap<>();

	private final AtomicLong skipped = new AtomicLong();

	/** The stamp for a frame entering the broker, or null if frames to {@code destination} are not conflated. */
	@Nullable Stamp stamp(String destination, @Nullable String record) {
		if (record == null || !destination.startsWith("/topic/tenants/")) {
			return null;
		}
		if (newest.size() > RECORDS) {
			newest.clear();
		}
		var key = destination + " " + record;
		var stamp = new Stamp(key, sequence.incrementAndGet());
		newest.merge(key, stamp.sequence(), Math::max);
		return stamp;
	}

	/** On the outbound executor, just before a frame is written to its session. */
	@Override
	public @Nullable Message<?> beforeHandle(Message<?> message, MessageChannel channel, MessageHandler handler) {
		if (message.getHeaders().get(STAMP) instanceof Stamp stamp) {
			var latest = newest.get(stamp.record());
			if (latest != null && latest > stamp.sequence()) {
				skipped.incrementAndGet();
				// The session's next frame waits for this one to be handled: release it, as handling would have.
				// Releasing twice is harmless (the task removes its own frame only), whatever the interceptors' order.
				var next = OrderedMessageChannelDecorator.getNextMessageTask(message);
				if (next != null) {
					next.run();
				}
				return null;
			}
		}
		return message;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("voxdesk.realtime.frames.conflated", skipped, AtomicLong::get)
			.description("Frames of tenant feeds not written because a newer state of the same record was on its way")
			.register(registry);
	}
}

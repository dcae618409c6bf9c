package io.voxdesk.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.OrderedMessageChannelDecorator;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * {@link Conflation} on a session's outbound channel as Spring's STOMP endpoint builds it (an executor channel, and a
 * decorator that writes one frame at a time per session to keep their order): frames are written in order, a frame
 * whose record has a newer frame queued behind it is skipped, and a skipped frame does not stall the ones after it.
 */
class ConflationTests {

	final Conflation conflation = new Conflation();

	final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

	@AfterEach
	void stop() {
		executor.shutdown();
	}

	Message<String> frame(String destination, String body, @Nullable String record) {
		var accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		accessor.setDestination(destination);
		var stamp = conflation.stamp(destination, record);
		if (stamp != null) {
			accessor.setHeader(Conflation.STAMP, stamp);
		}
		// As the broker leaves its frames for the ordering decorator.
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

	@Test
	void aSessionBehindGetsTheNewestStateOfEachRecordInOrderAndEveryFrameOfItsOwnQueue() throws Exception {
		executor.initialize();
		var channel = new ExecutorSubscribableChannel(executor);
		channel.addInterceptor(conflation);
		var written = new CopyOnWriteArrayList<String>();
		var slowSocket = new CountDownLatch(1);
		channel.subscribe(message -> {
			try {
				slowSocket.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			written.add((String) message.getPayload());
		});
		OrderedMessageChannelDecorator.configureInterceptor(channel, true);
		var session = new OrderedMessageChannelDecorator(channel, LogFactory.getLog(ConflationTests.class));

		// The first frame is being written (the socket is slow) while the others queue up behind it.
		session.send(frame("/topic/tenants/acme/calls", "call-1 DIALING", "call-1"));
		await().atMost(Duration.ofSeconds(5)).until(() -> executor.getActiveCount() == 1);
		for (var frame : List.of(
				frame("/topic/tenants/acme/calls", "call-1 RINGING", "call-1"),
				frame("/topic/tenants/acme/calls", "call-2 DIALING", "call-2"),
				frame("/user/alice/queue/calls", "alice call-1 RINGING", "call-1"),
				frame("/topic/tenants/acme/calls", "call-1 ANSWERED", "call-1"),
				frame("/user/alice/queue/calls", "alice call-1 ANSWERED", "call-1"),
				frame("/topic/tenants/acme/presence", "alice BUSY", "alice"))) {
			session.send(frame);
		}
		slowSocket.countDown();

		await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 6);
		assertThat(written).containsExactly("call-1 DIALING", "call-2 DIALING", "alice call-1 RINGING", "call-1 ANSWERED",
				"alice call-1 ANSWERED", "alice BUSY");

		// Nothing queued any more: the next frame of a record is written at once.
		session.send(frame("/topic/tenants/acme/calls", "call-1 COMPLETED", "call-1"));
		await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 7);
		assertThat(written.getLast()).isEqualTo("call-1 COMPLETED");
	}
}

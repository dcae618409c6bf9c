package io.voxdesk.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * {@link FeedRelay} against the real RabbitMQ STOMP plugin on 127.0.0.1:61613 ({@code ./voxdesk test} starts RabbitMQ
 * and enables it): two relays stand for two instances, each handing what it takes from the broker to a capturing
 * "in-memory broker". Frames carry a marker of this run, so that anything else on the broker is left out.
 */
class FeedRelayTests {

	static final RealtimeSettings.Relay BROKER = new RealtimeSettings.Relay("127.0.0.1", 61613, "guest", "guest", "/");

	final String run = UUID.randomUUID().toString();

	final List<FeedRelay> relays = new ArrayList<>();

	final List<String> toldBrowsers = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopRelays() {
		relays.forEach(FeedRelay::stop);
	}

	/** A relay whose instance's in-memory broker is the list it fills with this run's frames. */
	FeedRelay relay(List<Message<?>> delivered) {
		var local = new SimpMessagingTemplate((message, timeout) -> {
			if (new String((byte[]) message.getPayload(), StandardCharsets.UTF_8).contains(run)) {
				delivered.add(message);
			}
			return true;
		});
		var relay = new FeedRelay(BROKER, new LocalFeeds(local, new Conflation()), toldBrowsers::add, Clock.systemUTC());
		relays.add(relay);
		relay.start();
		assertThat(relay.available()).as("subscribed once start() returns").isTrue();
		return relay;
	}

	static byte[] json(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void aFrameSentByOneInstanceReachesEveryInstanceOnceInTheOrderItWasSent() {
		var onOne = new CopyOnWriteArrayList<Message<?>>();
		var onTwo = new CopyOnWriteArrayList<Message<?>>();
		var one = relay(onOne);
		relay(onTwo);

		for (var n = 0; n < 500; n++) {
			var destination = n % 2 == 0 ? "/topic/tenants/acme/calls" : "/user/alice/queue/calls";
			one.publish(destination, json("{\"run\":\"%s\",\"n\":%d}".formatted(run, n)), MimeTypeUtils.APPLICATION_JSON,
					n % 2 == 0 ? "call-" + n : null);
		}

		for (var delivered : List.of(onOne, onTwo)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 500);
			assertThat(delivered).hasSize(500);
			for (var n = 0; n < 500; n++) {
				var message = delivered.get(n);
				assertThat(new String((byte[]) message.getPayload(), StandardCharsets.UTF_8)).endsWith("\"n\":" + n + "}");
				assertThat(SimpMessageHeaderAccessor.getDestination(message.getHeaders()))
					.isEqualTo(n % 2 == 0 ? "/topic/tenants/acme/calls" : "/user/alice/queue/calls");
				assertThat(message.getHeaders().get(MessageHeaders.CONTENT_TYPE, MimeType.class))
					.isEqualTo(MimeTypeUtils.APPLICATION_JSON);
				// A tenant feed's frame names its record, so that a browser behind may skip to its newest state.
				if (n % 2 == 0) {
					assertThat(message.getHeaders().get(Conflation.STAMP, Conflation.Stamp.class).record())
						.isEqualTo("/topic/tenants/acme/calls call-" + n);
				}
				else {
					assertThat(message.getHeaders().get(Conflation.STAMP)).isNull();
				}
			}
		}
		assertThat(toldBrowsers).isEmpty();
	}

	/**
	 * The attack: something else with the broker's credentials publishes on the relay's topic, aiming at a session's
	 * resolved queue (which would skip the user's own resolution) or with no destination at all. Neither reaches the
	 * in-memory broker; a frame for a tenant topic sent after them on the same connection does, so they were read.
	 */
	@Test
	void framesOnTheTopicWithoutALiveFeedDestinationAreIgnored() throws Exception {
		var delivered = new CopyOnWriteArrayList<Message<?>>();
		relay(delivered);
		var client = new ReactorNettyTcpStompClient("127.0.0.1", 61613);
		try {
			var connect = new StompHeaders();
			connect.setLogin("guest");
			connect.setPasscode("guest");
			connect.setHost("/");
			var intruder = client.connectAsync(connect, new StompSessionHandlerAdapter() {
			}).get(10, TimeUnit.SECONDS);
			for (var destination : new String[] { "/queue/calls-userabc123", null, "/topic/tenants/acme/calls" }) {
				var headers = new StompHeaders();
				headers.setDestination(FeedRelay.ROUTE);
				if (destination != null) {
					headers.set(FeedRelay.DESTINATION, destination);
				}
				headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
				intruder.send(headers, "{\"run\":\"%s\",\"to\":\"%s\"}".formatted(run, destination).getBytes(StandardCharsets.UTF_8));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> !delivered.isEmpty());
			intruder.disconnect();
		}
		finally {
			client.shutdown();
		}
		assertThat(delivered).singleElement()
			.satisfies(message -> assertThat(SimpMessageHeaderAccessor.getDestination(message.getHeaders()))
				.isEqualTo("/topic/tenants/acme/calls"));
	}
}

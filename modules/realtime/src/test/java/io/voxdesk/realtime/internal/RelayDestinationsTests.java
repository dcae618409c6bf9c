package io.voxdesk.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Names as clients use them become names RabbitMQ's STOMP plugin accepts (no {@code /} in a routing key, no queue
 * that outlives its subscriber) and come back unchanged; the broker never sees a client's token.
 */
class RelayDestinationsTests {

	@Test
	void tenantFeedsAndUserQueuesTravelAsTopicsAndComeBackAsTheyWere() {
		assertThat(RelayDestinations.toBroker("/topic/tenants/acme/calls")).isEqualTo("/topic/tenants.acme.calls");
		assertThat(RelayDestinations.toBroker("/queue/calls-user3f2a")).isEqualTo("/topic/queue.calls-user3f2a");
		assertThat(RelayDestinations.toBroker("/topic/voxdesk-user-registry")).isEqualTo("/topic/voxdesk-user-registry");
		for (var name : new String[] { "/topic/tenants/acme-2/presence", "/queue/offers-userabc",
				"/topic/voxdesk-unresolved-user-destination" }) {
			assertThat(RelayDestinations.fromBroker(RelayDestinations.toBroker(name))).isEqualTo(name);
		}
	}

	@Test
	void aSubscriptionIsTranslatedOnItsWayAndAMessageOnItsWayBack() {
		var subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setDestination("/topic/tenants/acme/calls");
		subscribe.setSubscriptionId("sub-1");
		subscribe.setSessionId("s1");
		var sent = RelayDestinations.outgoing()
			.preSend(MessageBuilder.createMessage(new byte[0], subscribe.getMessageHeaders()), new ExecutorSubscribableChannel());
		var out = StompHeaderAccessor.wrap(sent);
		assertThat(out.getDestination()).isEqualTo("/topic/tenants.acme.calls");
		assertThat(out.getFirstNativeHeader("destination")).isEqualTo("/topic/tenants.acme.calls");
		assertThat(out.getSubscriptionId()).isEqualTo("sub-1");
		assertThat(out.getSessionId()).isEqualTo("s1");
		// The relay adds its own headers to what it gets, as it does to the messages Spring builds.
		assertThat(MessageHeaderAccessor.getAccessor(sent, StompHeaderAccessor.class)).isNotNull()
			.satisfies(accessor -> assertThat(accessor.isMutable()).isTrue());

		var message = StompHeaderAccessor.create(StompCommand.MESSAGE);
		message.setDestination("/topic/tenants.acme.calls");
		message.setSubscriptionId("sub-1");
		var received = RelayDestinations.incoming()
			.preSend(MessageBuilder.createMessage("{}".getBytes(), message.getMessageHeaders()), new ExecutorSubscribableChannel());
		assertThat(StompHeaderAccessor.wrap(received).getDestination()).isEqualTo("/topic/tenants/acme/calls");
	}

	@Test
	void whatTheApplicationSendsStaysAPlainMessageForTheRelayToTurnIntoASend() {
		var sent = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		sent.setDestination("/topic/tenants/acme/calls");
		sent.setLeaveMutable(true);
		var out = RelayDestinations.outgoing()
			.preSend(MessageBuilder.createMessage("{}".getBytes(), sent.getMessageHeaders()), new ExecutorSubscribableChannel());
		var accessor = MessageHeaderAccessor.getAccessor(out, MessageHeaderAccessor.class);
		assertThat(accessor).isExactlyInstanceOf(SimpMessageHeaderAccessor.class);
		assertThat(((SimpMessageHeaderAccessor) accessor).getDestination()).isEqualTo("/topic/tenants.acme.calls");
		assertThat(accessor.isMutable()).isTrue();
		assertThat(StompHeaderAccessor.wrap(out).updateStompCommandAsClientMessage()).isEqualTo(StompCommand.SEND);
	}

	@Test
	void userDestinationsAreLeftForResolution() {
		var subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setDestination("/user/queue/calls");
		var message = MessageBuilder.createMessage(new byte[0], subscribe.getMessageHeaders());
		assertThat(RelayDestinations.outgoing().preSend(message, new ExecutorSubscribableChannel())).isSameAs(message);
	}

	@Test
	void theBrokerNeverGetsTheClientsToken() {
		var connect = StompHeaderAccessor.create(StompCommand.CONNECT);
		connect.addNativeHeader("Authorization", "Bearer secret-token");
		connect.setAcceptVersion("1.2");
		var sent = RelayDestinations.outgoing()
			.preSend(MessageBuilder.createMessage(new byte[0], connect.getMessageHeaders()), new ExecutorSubscribableChannel());
		var out = StompHeaderAccessor.wrap(sent);
		assertThat(out.getFirstNativeHeader("Authorization")).isNull();
		assertThat(out.getAcceptVersion()).contains("1.2");
	}
}

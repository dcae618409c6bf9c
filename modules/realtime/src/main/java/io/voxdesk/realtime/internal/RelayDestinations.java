package io.voxdesk.realtime.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Translates destinations at the edge of the broker relay, so that clients and the application keep the names they
 * have with the in-memory broker. RabbitMQ's STOMP plugin takes what follows {@code /topic/} as a routing key, which
 * may not contain {@code /}, and makes a {@code /queue/} destination a queue that outlives its subscriber: so
 * {@code /topic/tenants/acme/calls} travels as {@code /topic/tenants.acme.calls}, and a user's resolved queue
 * {@code /queue/calls-user<session>} as the topic {@code /topic/queue.calls-user<session>}, whose queue the broker
 * deletes when the subscriber goes. Messages coming back get their names back. A client's {@code CONNECT} loses its
 * token before it reaches the broker, which has no use for it.
 */
final class RelayDestinations implements ChannelInterceptor {

	private static final String TOPIC = "/topic/";

	private static final String QUEUE = "/queue/";

	private static final String QUEUE_AS_TOPIC = TOPIC + "queue.";

	/** The destination as the broker names it. */
	static String toBroker(String destination) {
		if (destination.startsWith(QUEUE)) {
			return QUEUE_AS_TOPIC + destination.substring(QUEUE.length()).replace('/', '.');
		}
		if (destination.startsWith(TOPIC)) {
			return TOPIC + destination.substring(TOPIC.length()).replace('/', '.');
		}
		return destination;
	}

	/** The destination as Voxdesk and its clients name it. */
	static String fromBroker(String destination) {
		if (destination.startsWith(QUEUE_AS_TOPIC)) {
			return QUEUE + destination.substring(QUEUE_AS_TOPIC.length()).replace('.', '/');
		}
		if (destination.startsWith(TOPIC)) {
			return TOPIC + destination.substring(TOPIC.length()).replace('.', '/');
		}
		return destination;
	}

	/** Towards the broker: the client inbound channel (after the access check) and the broker channel. */
	static ChannelInterceptor outgoing() {
		return new RelayDestinations(true);
	}

	/** Towards clients: the client outbound channel. */
	static ChannelInterceptor incoming() {
		return new RelayDestinations(false);
	}

	private final boolean toBroker;

	private RelayDestinations(boolean toBroker) {
		this.toBroker = toBroker;
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		// A copy of the same kind: the relay reads a STOMP command only from a STOMP accessor (a client's frame) and
		// derives it from a plain one (what the application sends).
		var accessor = MessageHeaderAccessor.getAccessor(message, MessageHeaderAccessor.class) instanceof StompHeaderAccessor
				? StompHeaderAccessor.wrap(message) : SimpMessageHeaderAccessor.wrap(message);
		var destination = accessor.getDestination();
		var connect = toBroker && accessor.getMessageType() == SimpMessageType.CONNECT;
		// User destinations are resolved first (/user/queue/calls → /queue/calls-user<session>), then translated.
		var translated = destination == null || destination.startsWith("/user/") ? destination
				: toBroker ? toBroker(destination) : fromBroker(destination);
		var translate = translated != null && !translated.equals(destination);
		if (!translate && !connect) {
			return message;
		}
		if (translate) {
			accessor.setDestination(translated);
			accessor.setNativeHeader("destination", translated);
		}
		if (connect) {
			accessor.removeNativeHeader("Authorization");
		}
		// The broker relay and the STOMP handler still add headers to the message they get, as to the original.
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(message.getPayload(), accessor.getMessageHeaders());
	}
}

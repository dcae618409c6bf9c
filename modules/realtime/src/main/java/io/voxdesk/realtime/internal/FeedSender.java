package io.voxdesk.realtime.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/**
 * Where the feeds send what browsers hear: straight to this instance's in-memory broker, or, with
 * {@code voxdesk.realtime.relay.host} set, through the {@link FeedRelay} to every instance's.
 */
@Component
class FeedSender {

	private final SimpMessagingTemplate local;

	private final @Nullable FeedRelay relay;

	FeedSender(SimpMessagingTemplate local, ObjectProvider<FeedRelay> relay) {
		this.local = local;
		this.relay = relay.getIfAvailable();
	}

	/** To every subscriber of a topic, e.g. {@code /topic/tenants/acme/calls}. */
	void toTopic(String topic, Object payload) {
		send(topic, payload);
	}

	/** To every session of one user, e.g. their {@code /user/queue/calls}. */
	void toUser(String user, String queue, Object payload) {
		// As SimpMessagingTemplate.convertAndSendToUser names it: a '/' in the name would end the user part.
		send("/user/" + user.replace("/", "%2F") + queue, payload);
	}

	/** Whether browsers connected here hear what is sent: always with the in-memory broker, with the relay while it is up. */
	boolean available() {
		return relay == null || relay.available();
	}

	private void send(String destination, Object payload) {
		if (relay == null) {
			local.convertAndSend(destination, payload);
			return;
		}
		var converted = local.getMessageConverter().toMessage(payload, null);
		if (converted == null) {
			throw new IllegalArgumentException("No converter for a " + payload.getClass().getSimpleName() + " to " + destination);
		}
		relay.publish(destination, converted);
	}
}

package io.voxdesk.realtime.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.MessageHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeType;

/**
 * Where the feeds send what browsers hear: straight to this instance's in-memory broker, or, with
 * {@code voxdesk.realtime.relay.host} set, through the {@link FeedRelay} to every instance's.
 */
@Component
class FeedSender {

	private final LocalFeeds local;

	private final @Nullable FeedRelay relay;

	FeedSender(LocalFeeds local, ObjectProvider<FeedRelay> relay) {
		this.local = local;
		this.relay = relay.getIfAvailable();
	}

	/**
	 * To every subscriber of a tenant's topic, e.g. {@code /topic/tenants/acme/calls}, a whole record: a browser that
	 * fell behind may skip to the newest state of the same {@code record} ({@link Conflation}).
	 */
	void toTopic(String topic, Object payload, String record) {
		send(topic, payload, record);
	}

	/** To every session of one user, e.g. their {@code /user/queue/calls}; every frame is written. */
	void toUser(String user, String queue, Object payload) {
		// As SimpMessagingTemplate.convertAndSendToUser names it: a '/' in the name would end the user part.
		send("/user/" + user.replace("/", "%2F") + queue, payload, null);
	}

	/** Whether browsers connected here hear what is sent: always with the in-memory broker, with the relay while it is up. */
	boolean available() {
		return relay == null || relay.available();
	}

	private void send(String destination, Object payload, @Nullable String record) {
		var converted = local.template().getMessageConverter().toMessage(payload, null);
		if (converted == null || !(converted.getPayload() instanceof byte[] bytes)) {
			throw new IllegalArgumentException("No converter for a " + payload.getClass().getSimpleName() + " to " + destination);
		}
		var type = converted.getHeaders().get(MessageHeaders.CONTENT_TYPE);
		var mime = type == null ? null : type instanceof MimeType known ? known : MimeType.valueOf(type.toString());
		if (relay == null) {
			local.deliver(destination, bytes, mime, record);
		}
		else {
			relay.publish(destination, bytes, mime, record);
		}
	}
}

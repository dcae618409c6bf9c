package io.voxdesk.realtime.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeType;

/** This instance's in-memory broker, where every frame for its browsers enters, stamped for {@link Conflation}. */
@Component
class LocalFeeds {

	private final SimpMessagingTemplate broker;

	private final Conflation conflation;

	LocalFeeds(SimpMessagingTemplate broker, Conflation conflation) {
		this.broker = broker;
		this.conflation = conflation;
	}

	/** The converter the application's payloads go through (JSON). */
	SimpMessagingTemplate template() {
		return broker;
	}

	/**
	 * Hands a converted frame to the broker, which delivers it to this instance's subscribers. Stamping and handing over
	 * are one step: two threads sending states of one record must queue them in the order of their stamps, or the
	 * later state could be skipped for the earlier.
	 */
	synchronized void deliver(String destination, byte[] payload, @Nullable MimeType type, @Nullable String record) {
		var accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		if (type != null) {
			accessor.setContentType(type);
		}
		var stamp = conflation.stamp(destination, record);
		if (stamp != null) {
			accessor.setHeader(Conflation.STAMP, stamp);
		}
		accessor.setLeaveMutable(true);
		broker.send(destination, MessageBuilder.createMessage(payload, accessor.getMessageHeaders()));
	}
}

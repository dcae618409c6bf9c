package io.voxdesk.realtime.internal;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

/**
 * Puts the reason a frame was refused into the ERROR frame ({@code message} header and body), instead of the
 * channel's generic "failed to send message", so a client can tell its user what went wrong.
 */
class StompErrors extends StompSubProtocolErrorHandler {

	@Override
	public @Nullable Message<byte[]> handleClientMessageProcessingError(@Nullable Message<byte[]> clientMessage,
			Throwable ex) {
		var cause = ex;
		while (cause != null && !(cause instanceof AccessDeniedException)) {
			cause = cause.getCause();
		}
		if (cause == null) {
			return super.handleClientMessageProcessingError(clientMessage, ex);
		}
		var reason = cause.getMessage() == null ? "Access denied" : cause.getMessage();
		var accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage(reason);
		accessor.setContentType(MimeTypeUtils.TEXT_PLAIN);
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(reason.getBytes(StandardCharsets.UTF_8), accessor.getMessageHeaders());
	}
}

package io.voxdesk.realtime.internal;

import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * Who may do what on the STOMP connection. {@code CONNECT} must carry {@code Authorization: Bearer <token>} (a
 * Keycloak access token, checked like the REST API's); a client may then subscribe to its own
 * {@code /user/queue/calls} and, as a tenant admin, to {@code /topic/tenants/<its tenant>/calls}. Everything else is
 * refused with a STOMP ERROR frame, and clients cannot send to broker destinations.
 */
@Component
class StompAccess implements ChannelInterceptor {

	private static final Logger log = LoggerFactory.getLogger(StompAccess.class);

	private final JwtDecoder jwts;

	StompAccess(JwtDecoder jwts) {
		this.jwts = jwts;
	}

	/** The connected user: their id (the token's subject), tenant and whether they administer it. */
	record Caller(String name, @Nullable String tenant, boolean tenantAdmin) implements Principal {

		@Override
		public String getName() {
			return name;
		}
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		var accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() == null) {
			return message;
		}
		switch (accessor.getCommand()) {
			case CONNECT -> accessor.setUser(authenticate(accessor));
			case SUBSCRIBE -> authorize(accessor);
			case SEND -> {
				if (accessor.getDestination() == null || !accessor.getDestination().startsWith("/app/")) {
					throw new AccessDeniedException("Clients may not send to " + accessor.getDestination());
				}
			}
			default -> {
			}
		}
		return message;
	}

	private Caller authenticate(StompHeaderAccessor accessor) {
		var header = accessor.getFirstNativeHeader("Authorization");
		if (header == null || !header.startsWith("Bearer ")) {
			throw new AccessDeniedException("CONNECT needs an Authorization header with a Bearer access token");
		}
		try {
			var jwt = jwts.decode(header.substring("Bearer ".length()).strip());
			var tenant = jwt.getClaimAsString("tenant_id");
			Map<String, Object> realmAccess = jwt.getClaimAsMap("realm_access");
			var roles = realmAccess == null || !(realmAccess.get("roles") instanceof Collection<?> names) ? List.of()
					: List.copyOf(names);
			return new Caller(jwt.getSubject(), tenant, roles.contains("tenant-admin"));
		}
		catch (JwtException ex) {
			log.info("STOMP CONNECT refused: {}", ex.getMessage());
			throw new AccessDeniedException("The access token is not valid: " + ex.getMessage());
		}
	}

	private void authorize(StompHeaderAccessor accessor) {
		if (!(accessor.getUser() instanceof Caller caller)) {
			throw new AccessDeniedException("Connect with an access token before subscribing");
		}
		var destination = accessor.getDestination();
		if ("/user/queue/calls".equals(destination)) {
			return;
		}
		if (caller.tenant() != null && caller.tenantAdmin()
				&& ("/topic/tenants/" + caller.tenant() + "/calls").equals(destination)) {
			return;
		}
		log.info("STOMP SUBSCRIBE to {} refused for user {}", destination, caller.getName());
		throw new AccessDeniedException("You may not subscribe to " + destination
				+ "; subscribe to /user/queue/calls, or as a tenant admin to /topic/tenants/<your tenant>/calls");
	}
}

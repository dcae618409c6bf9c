package io.voxdesk.realtime.internal;

import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.TenantRequestFilter;
import io.voxdesk.tenants.TenantStatus;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
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
 * {@code /user/queue/calls} and, as a tenant admin, to {@code /topic/tenants/<its tenant>/calls}. The token must not
 * have expired and its tenant must exist and be active, at {@code CONNECT} and again at every {@code SUBSCRIBE};
 * {@link StompSessions} closes a session once its token expires. Everything else is refused with a STOMP ERROR
 * frame, and clients cannot send to broker destinations. While the live feeds are down ({@link FeedRelay}) every
 * {@code CONNECT} is refused, since nothing would reach the client.
 */
@Component
class StompAccess implements ChannelInterceptor {

	static final String LIVE_FEEDS_DOWN = "Live feeds are unavailable right now (Voxdesk cannot reach its message "
			+ "broker); connect again shortly";

	private static final Logger log = LoggerFactory.getLogger(StompAccess.class);

	private final JwtDecoder jwts;

	private final StompSessions sessions;

	private final TenantManagement tenants;

	private final TenantContext context;

	/** Lazily: the feeds need the broker configuration, which needs this. */
	private final ObjectProvider<FeedSender> feeds;

	StompAccess(JwtDecoder jwts, StompSessions sessions, TenantManagement tenants, TenantContext context,
			ObjectProvider<FeedSender> feeds) {
		this.jwts = jwts;
		this.feeds = feeds;
		this.sessions = sessions;
		this.tenants = tenants;
		this.context = context;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		var accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() == null) {
			return message;
		}
		switch (accessor.getCommand()) {
			case CONNECT -> {
				if (!feeds.getObject().available()) {
					throw new AccessDeniedException(LIVE_FEEDS_DOWN);
				}
				var caller = authenticate(accessor);
				accessor.setUser(caller);
				sessions.authenticated(accessor.getSessionId(), caller);
			}
			case SUBSCRIBE -> authorize(accessor);
			case SEND -> {
				if (accessor.getDestination() == null || !accessor.getDestination().startsWith("/app/")) {
					throw new AccessDeniedException("Clients may not send to " + printable(accessor.getDestination()));
				}
			}
			default -> {
			}
		}
		return message;
	}

	private CurrentUser authenticate(StompHeaderAccessor accessor) {
		var header = accessor.getFirstNativeHeader("Authorization");
		if (header == null || !header.startsWith("Bearer ")) {
			throw new AccessDeniedException("CONNECT needs an Authorization header with a Bearer access token");
		}
		CurrentUser caller;
		try {
			var jwt = jwts.decode(header.substring("Bearer ".length()).strip());
			var tenant = jwt.getClaimAsString(TenantRequestFilter.TENANT_CLAIM);
			if (tenant == null || tenant.isBlank()) {
				throw new AccessDeniedException("Your account is not assigned to a tenant, so it has no calls to follow. "
						+ "Ask your administrator to set your tenant.");
			}
			caller = CurrentUser.of(jwt);
		}
		catch (JwtException ex) {
			log.info("STOMP CONNECT refused: {}", printable(ex.getMessage()));
			throw new AccessDeniedException("The access token is not valid: " + ex.getMessage());
		}
		checkCurrent(caller);
		return caller;
	}

	/** Refuses a caller whose token has expired or whose tenant is unknown or deactivated. */
	private void checkCurrent(CurrentUser caller) {
		if (sessions.expired(caller)) {
			throw new AccessDeniedException(StompSessions.TOKEN_EXPIRED);
		}
		var tenant = caller.tenant();
		if (tenant == null) {
			// CurrentUser keeps only a valid tenant id; authenticate() refused a missing claim already.
			throw new AccessDeniedException("Your account's tenant is not a valid tenant id.");
		}
		var status = context.callAs(tenant, () -> tenants.status(tenant));
		if (status.isEmpty()) {
			log.info("STOMP refused for user {}: unknown tenant {}", caller.getName(), tenant);
			throw new AccessDeniedException("Your account belongs to tenant '" + tenant
					+ "', which Voxdesk does not know. Ask your platform operator to create it.");
		}
		if (status.get() != TenantStatus.ACTIVE) {
			log.info("STOMP refused for user {}: tenant {} is deactivated", caller.getName(), tenant);
			throw new AccessDeniedException("Tenant '" + tenant + "' is deactivated. Ask your platform operator.");
		}
	}

	private void authorize(StompHeaderAccessor accessor) {
		if (!(accessor.getUser() instanceof CurrentUser caller)) {
			throw new AccessDeniedException("Connect with an access token before subscribing");
		}
		checkCurrent(caller);
		var destination = accessor.getDestination();
		if ("/user/queue/calls".equals(destination) || "/user/queue/presence".equals(destination)
				|| "/user/queue/offers".equals(destination)) {
			return;
		}
		if (caller.admin() && (("/topic/tenants/" + caller.tenant() + "/calls").equals(destination)
				|| ("/topic/tenants/" + caller.tenant() + "/presence").equals(destination)
				|| ("/topic/tenants/" + caller.tenant() + "/campaigns").equals(destination))) {
			return;
		}
		log.info("STOMP SUBSCRIBE to {} refused for user {}", printable(destination), caller.getName());
		throw new AccessDeniedException("You may not subscribe to " + destination
				+ "; subscribe to /user/queue/calls, /presence or /offers, or as a tenant admin to "
				+ "/topic/tenants/<your tenant>/calls, /presence or /campaigns");
	}

	/**
	 * A client-supplied string as it may be logged: control characters (which could forge log lines) become
	 * {@code ?}, and it is cut at 200 characters.
	 */
	static String printable(@Nullable String value) {
		if (value == null) {
			return "(none)";
		}
		var clipped = value.length() > 200 ? value.substring(0, 200) + "…" : value;
		var out = new StringBuilder(clipped.length());
		clipped.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
		return out.toString();
	}
}

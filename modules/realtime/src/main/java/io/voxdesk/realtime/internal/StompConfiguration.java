package io.voxdesk.realtime.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * The STOMP endpoint {@code /ws}. Browsers cannot put a token on a WebSocket handshake, so the handshake is open
 * and the token travels in the STOMP {@code CONNECT} frame, where {@link StompAccess} checks it. Messages go through
 * an in-memory broker, or, with {@code voxdesk.realtime.relay.host} set, through RabbitMQ's STOMP plugin, so that a
 * client connected to any instance hears what every instance sends (user destinations included: an instance that
 * does not have the user's session broadcasts the message to the others).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
@EnableConfigurationProperties(RealtimeSettings.class)
class StompConfiguration implements WebSocketMessageBrokerConfigurer {

	/** Where instances tell each other which users' sessions they hold (every second, {@link UserRegistryPeriod}). */
	private static final String USER_REGISTRY = "/topic/voxdesk-user-registry";

	/** Static: a post-processor is created before the configuration that declares it. */
	@Bean
	static UserRegistryPeriod userRegistryPeriod() {
		return new UserRegistryPeriod();
	}

	private final StompAccess access;

	private final StompSessions sessions;

	private final RealtimeSettings settings;

	StompConfiguration(StompAccess access, StompSessions sessions, RealtimeSettings settings) {
		this.access = access;
		this.sessions = sessions;
		this.settings = settings;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		// Any page may embed the phone: the token, not the origin, decides who gets what.
		registry.addEndpoint("/ws").setAllowedOriginPatterns("*");
		registry.setErrorHandler(new StompErrors());
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		var relay = settings.relay();
		if (relay == null) {
			registry.enableSimpleBroker("/topic", "/queue");
		}
		else {
			registry.enableStompBrokerRelay("/topic", "/queue")
				.setRelayHost(relay.host())
				.setRelayPort(relay.port())
				.setVirtualHost(relay.virtualHost())
				.setClientLogin(relay.login())
				.setClientPasscode(relay.passcode())
				.setSystemLogin(relay.login())
				.setSystemPasscode(relay.passcode())
				.setUserDestinationBroadcast("/topic/voxdesk-unresolved-user-destination")
				.setUserRegistryBroadcast(USER_REGISTRY);
			registry.configureBrokerChannel().interceptors(RelayDestinations.outgoing());
		}
		registry.setApplicationDestinationPrefixes("/app");
		registry.setUserDestinationPrefix("/user");
		// A call's states reach each client in commit order, so a later state is never overwritten by an earlier one.
		registry.setPreservePublishOrder(true);
	}

	/**
	 * A tenant feed gets every call's record on every change; bursts (a campaign starting, a reconnect settling
	 * many calls) need more room than the 512 KB default before a slow client is cut off.
	 */
	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.setSendBufferSizeLimit(8 * 1024 * 1024).setSendTimeLimit(30_000);
		registration.addDecoratorFactory(sessions::decorate);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(access);
		if (settings.relay() != null) {
			// After the access check, which judges the names clients use.
			registration.interceptors(RelayDestinations.outgoing());
		}
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		if (settings.relay() != null) {
			registration.interceptors(RelayDestinations.incoming());
		}
		registration.interceptors(sessions);
	}
}

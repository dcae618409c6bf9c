package io.voxdesk.realtime.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
 * and the token travels in the STOMP {@code CONNECT} frame, where {@link StompAccess} checks it. Each instance
 * delivers to its own browsers through an in-memory broker; with {@code voxdesk.realtime.relay.host} set, what the
 * application sends goes through RabbitMQ first ({@link FeedRelay}), so that a browser connected to any instance
 * hears what every instance sends.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
@EnableConfigurationProperties(RealtimeSettings.class)
class StompConfiguration implements WebSocketMessageBrokerConfigurer {

	private final StompAccess access;

	private final StompSessions sessions;

	private final RealtimeSettings settings;

	private final Conflation conflation;

	StompConfiguration(StompAccess access, StompSessions sessions, RealtimeSettings settings, Conflation conflation) {
		this.conflation = conflation;
		this.access = access;
		this.sessions = sessions;
		this.settings = settings;
	}

	@Bean
	@ConditionalOnProperty("voxdesk.realtime.relay.host")
	FeedRelay feedRelay(LocalFeeds local, Optional<Clock> clock) {
		return new FeedRelay(Objects.requireNonNull(settings.relay()), local, sessions::closeAll,
				clock.orElse(Clock.systemUTC()));
	}

	@Bean
	@ConditionalOnProperty("voxdesk.realtime.relay.host")
	FeedTurn feedTurn(DataSource dataSource) {
		return new FeedTurn(dataSource);
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		// Any page may embed the phone: the token, not the origin, decides who gets what.
		registry.addEndpoint("/ws").setAllowedOriginPatterns("*");
		registry.setErrorHandler(new StompErrors());
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic", "/queue");
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
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.interceptors(sessions, conflation);
	}
}

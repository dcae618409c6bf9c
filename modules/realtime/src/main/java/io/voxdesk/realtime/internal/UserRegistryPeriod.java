package io.voxdesk.realtime.internal;

import java.time.Duration;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.messaging.simp.user.UserRegistryMessageHandler;

/**
 * Makes the instances tell each other which users' STOMP sessions they hold every second instead of Spring's ten.
 * Between two announcements an instance that knows some of a user's sessions sends {@code /user/...} frames to those
 * alone: with ten seconds, a webphone that had just reconnected through the load balancer to another instance missed
 * its calls' states for up to ten seconds ({@code LoadBalancerTests} caught it). A registry not refreshed for
 * {@link #EXPIRY} (two announcements missed) is forgotten, as Spring does after twenty.
 */
final class UserRegistryPeriod implements BeanPostProcessor {

	/** Spring announces every half of this. */
	static final Duration EXPIRY = Duration.ofSeconds(2);

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof UserRegistryMessageHandler handler) {
			handler.setRegistryExpirationPeriod(EXPIRY.toMillis());
		}
		return bean;
	}
}

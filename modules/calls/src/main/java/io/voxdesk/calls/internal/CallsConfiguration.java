package io.voxdesk.calls.internal;

import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.OutboundSettings;
import io.voxdesk.calls.OutboundTargets;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds the module's settings and runs its sweeper. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ CallsSettings.class, OutboundSettings.class })
@EnableScheduling
class CallsConfiguration {

	@Bean
	OutboundTargets outboundTargets(OutboundSettings settings) {
		return OutboundTargets.allowing(settings.allowedNetworks());
	}
}

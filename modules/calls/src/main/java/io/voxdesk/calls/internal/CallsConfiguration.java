package io.voxdesk.calls.internal;

import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.OutboundSettings;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.internal.ProviderConnectionWorkflow.EnabledConnection;
import io.voxdesk.tenants.RememberedValues;
import io.voxdesk.tenants.TenantId;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds the module's settings, runs its sweeper and declares what click-to-call remembers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ CallsSettings.class, OutboundSettings.class })
@EnableScheduling
class CallsConfiguration {

	/** Every click-to-call asks for its tenant's enabled connection, which changes only when an admin changes it. */
	@Bean
	RememberedValues<TenantId, EnabledConnection> enabledConnections(CallsSettings settings) {
		return new RememberedValues<>("voxdesk.calls.enabled-connections", settings.connectionCacheTime(), 10_000);
	}

	@Bean
	OutboundTargets outboundTargets(OutboundSettings settings) {
		return OutboundTargets.allowing(settings.allowedNetworks());
	}
}

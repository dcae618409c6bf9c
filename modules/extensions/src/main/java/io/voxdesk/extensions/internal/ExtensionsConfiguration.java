package io.voxdesk.extensions.internal;

import io.voxdesk.extensions.AgentLine;
import io.voxdesk.tenants.RememberedValues;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the extensions module's settings and declares the active lines click-to-call remembers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExtensionsSettings.class)
class ExtensionsConfiguration {

	/** Every click-to-call asks for its agent's line, which changes only when its owner or an admin saves it. */
	@Bean
	RememberedValues<LineOwner, AgentLine> activeLines(ExtensionsSettings settings) {
		return new RememberedValues<>("voxdesk.extensions.active-lines", settings.lineCacheTime(), 100_000);
	}
}

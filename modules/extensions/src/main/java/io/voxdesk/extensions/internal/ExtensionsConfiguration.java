package io.voxdesk.extensions.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the extensions module's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExtensionsSettings.class)
class ExtensionsConfiguration {
}

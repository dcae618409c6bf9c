package io.voxdesk.asterisk.internal;

import io.voxdesk.asterisk.AsteriskSettings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the connector's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AsteriskSettings.class)
class AsteriskConfiguration {
}

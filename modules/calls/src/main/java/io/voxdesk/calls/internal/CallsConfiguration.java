package io.voxdesk.calls.internal;

import io.voxdesk.calls.CallsSettings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds the module's settings and runs its sweeper. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CallsSettings.class)
@EnableScheduling
class CallsConfiguration {
}

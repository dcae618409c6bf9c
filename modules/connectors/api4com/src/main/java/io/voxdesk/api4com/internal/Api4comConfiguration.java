package io.voxdesk.api4com.internal;

import io.voxdesk.api4com.Api4comSettings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds the connector's settings and runs its reconciliation. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Api4comSettings.class)
@EnableScheduling
class Api4comConfiguration {
}

package io.voxdesk.webhooks.internal;

import io.voxdesk.webhooks.WebhooksSettings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds the webhook settings and runs the dispatcher's schedule. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhooksSettings.class)
@EnableScheduling
class WebhooksConfiguration {
}

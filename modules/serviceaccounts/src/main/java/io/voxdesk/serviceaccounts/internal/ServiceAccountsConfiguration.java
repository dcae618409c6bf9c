package io.voxdesk.serviceaccounts.internal;

import io.voxdesk.serviceaccounts.ServiceAccountsSettings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the service-account settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceAccountsSettings.class)
class ServiceAccountsConfiguration {
}

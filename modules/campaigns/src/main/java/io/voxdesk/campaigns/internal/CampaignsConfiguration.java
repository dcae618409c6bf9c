package io.voxdesk.campaigns.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds the campaigns module's settings; the dialer paces campaigns on Spring's scheduler. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CampaignsSettings.class)
@EnableScheduling
class CampaignsConfiguration {
}

package io.voxdesk.audio.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the audio library's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AudioSettings.class)
class AudioConfiguration {
}

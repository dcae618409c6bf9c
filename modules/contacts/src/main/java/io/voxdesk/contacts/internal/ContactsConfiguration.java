package io.voxdesk.contacts.internal;

import io.voxdesk.contacts.ContactsSettings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the contacts module's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ContactsSettings.class)
class ContactsConfiguration {
}

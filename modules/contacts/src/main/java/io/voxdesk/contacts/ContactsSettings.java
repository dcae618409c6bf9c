package io.voxdesk.contacts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the contacts module ({@code voxdesk.contacts.*}).
 *
 * @param searchTimeout a contact search still running after this long is stopped by PostgreSQL
 *     ({@code statement_timeout}) and answered as too broad, so one user's broad searches cannot hold the database.
 */
@ConfigurationProperties("voxdesk.contacts")
public record ContactsSettings(@DefaultValue("3s") Duration searchTimeout) {
}

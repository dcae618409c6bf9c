/**
 * Voice campaigns: a message of the audio library played by a paced dialer to a selection of contacts, within a
 * calling window, with retries per outcome and the do-not-call list respected, answering machines told from people,
 * a menu whose keys can hand the person to a queue or a user; Asterisk connections only.
 */
@ApplicationModule(allowedDependencies = { "tenants", "audio", "contacts", "calls", "calls :: spi", "tickets" })
@NullMarked
package io.voxdesk.campaigns;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

/**
 * Voice campaigns: a message of the audio library played by a paced dialer to a selection of contacts, within a
 * calling window, with retries per outcome and the do-not-call list respected; Asterisk connections only.
 */
@ApplicationModule(allowedDependencies = { "tenants", "audio", "contacts", "calls", "calls :: spi" })
@NullMarked
package io.voxdesk.campaigns;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

/**
 * Call records and their lifecycle, click-to-call, the tenant's provider connections, and the telephony SPI that
 * connector modules implement so that provider quirks stay inside them.
 */
@ApplicationModule(allowedDependencies = { "tenants", "contacts", "tickets", "extensions", "audio" })
@NullMarked
package io.voxdesk.calls;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

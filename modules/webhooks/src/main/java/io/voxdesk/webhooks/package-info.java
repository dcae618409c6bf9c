/** Signed outbound webhooks that tell a host CRM what happened, delivered at least once with retries. */
@ApplicationModule(allowedDependencies = { "tenants", "calls", "tickets", "contacts", "campaigns" })
@NullMarked
package io.voxdesk.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

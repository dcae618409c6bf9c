/**
 * Append-only audit log of admin actions and sensitive changes (who, when, what: tenants, provider connections,
 * inbound numbers, queues' call routing, personal extensions, the audio library, the do-not-call list, campaigns' states, webhook endpoints, service accounts), kept per tenant and readable by platform admins and by each tenant's admins for their own
 * tenant.
 */
@ApplicationModule(allowedDependencies = { "tenants", "calls", "extensions", "tickets", "audio", "contacts", "campaigns", "webhooks", "serviceaccounts" })
@NullMarked
package io.voxdesk.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

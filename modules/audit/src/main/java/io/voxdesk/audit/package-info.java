/**
 * Append-only audit log of admin actions (who, when, what: tenants, provider connections), kept per tenant and readable by platform admins
 * and by each tenant's admins for their own tenant.
 */
@ApplicationModule(allowedDependencies = { "tenants", "calls" })
@NullMarked
package io.voxdesk.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

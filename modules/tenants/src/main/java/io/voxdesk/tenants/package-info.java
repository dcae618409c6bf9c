/**
 * Tenants, the current-tenant context that scopes every request and background job, and per-tenant
 * envelope encryption of secrets.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package io.voxdesk.tenants;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

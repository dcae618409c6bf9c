/** Service accounts: Keycloak client-credentials clients through which a host CRM's server calls Voxdesk in one tenant. */
@ApplicationModule(allowedDependencies = { "tenants" })
@NullMarked
package io.voxdesk.serviceaccounts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

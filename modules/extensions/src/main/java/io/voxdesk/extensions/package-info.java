/**
 * Every user's own SIP extension (its password encrypted per tenant and readable only by its owner), and the
 * webphone configuration built from it.
 */
@ApplicationModule(allowedDependencies = { "tenants" })
@NullMarked
package io.voxdesk.extensions;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

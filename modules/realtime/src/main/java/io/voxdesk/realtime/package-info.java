/**
 * Live call state pushed to browsers over STOMP on a WebSocket: each agent gets their own calls, tenant admins may
 * follow the tenant's call feed, and nobody can subscribe to another user's or tenant's destinations.
 */
@ApplicationModule(allowedDependencies = { "calls", "tenants" })
@NullMarked
package io.voxdesk.realtime;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

/**
 * Live call state, agents' presence and campaigns' figures pushed to browsers over STOMP on a WebSocket: each agent
 * gets their own calls and presence, tenant admins may follow the tenant's feeds, and nobody can subscribe to another
 * user's or tenant's destinations; an agent whose sessions all stay closed past a grace period becomes offline.
 */
@ApplicationModule(allowedDependencies = { "calls", "tenants", "campaigns" })
@NullMarked
package io.voxdesk.realtime;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;

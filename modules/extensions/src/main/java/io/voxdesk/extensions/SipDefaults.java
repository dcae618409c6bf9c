package io.voxdesk.extensions;

import java.util.Optional;

/**
 * Service provider interface: suggests the SIP domain and WebSocket server of the current tenant, which an
 * extension saved without them takes.
 * <p>
 * It lives here, and the module that owns the tenant's provider connections implements it, because that module
 * already depends on this one (click-to-call asks for the agent's line): the reverse dependency would be a cycle.
 * Without an implementation there are no defaults.
 */
public interface SipDefaults {

	/**
	 * The current tenant's SIP server, if its telephony provider says where it is.
	 *
	 * @throws io.voxdesk.tenants.NoTenantBoundException if no tenant is bound.
	 */
	Optional<SipServer> defaultsForCurrentTenant();
}

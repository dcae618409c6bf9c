package io.voxdesk.tenants;

import java.time.Instant;
import java.util.Set;

/**
 * A user who has signed in to the tenant, with the Voxdesk roles their latest token carried.
 *
 * @param roles realm roles without prefix: {@code agent}, {@code tenant-admin}.
 */
public record TenantMember(UserId id, String username, Set<String> roles, Instant firstSeenAt, Instant lastSeenAt) {

	/** The role of people who handle tickets and calls. */
	public static final String AGENT = "agent";

	/** The role of people who administer the tenant. */
	public static final String TENANT_ADMIN = "tenant-admin";

	/** Whether the member may be given tickets and queue memberships. */
	public boolean handlesTickets() {
		return roles.contains(AGENT) || roles.contains(TENANT_ADMIN);
	}
}

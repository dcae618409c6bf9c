package io.voxdesk.calls.spi;

import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.tenants.Fence;
import io.voxdesk.tenants.TenantId;

/**
 * A connection's lease as its holder knows it.
 *
 * @param token the fencing token of this acquisition; the next acquisition, by anyone, raises it.
 */
public record Lease(ProviderConnectionId connection, TenantId tenant, String holder, long token) {

	/** What work done under this lease carries, for the database to refuse it once the lease moved on. */
	public Fence fence() {
		return new Fence(connection.value(), token);
	}
}

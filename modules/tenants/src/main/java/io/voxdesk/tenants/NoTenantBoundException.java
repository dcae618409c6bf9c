package io.voxdesk.tenants;

/**
 * Thrown when work that touches tenant data runs without a tenant (or the platform scope) bound to the
 * thread: background jobs must choose a tenant explicitly with {@link TenantContext}.
 */
public class NoTenantBoundException extends RuntimeException {

	public NoTenantBoundException(String message) {
		super(message);
	}
}

package io.voxdesk.tenants;

import org.springframework.security.access.AccessDeniedException;

/** The caller's token names no tenant, an unknown one, or a deactivated one; the message says which. */
public class TenantAccessDeniedException extends AccessDeniedException {

	public TenantAccessDeniedException(String message) {
		super(message);
	}
}

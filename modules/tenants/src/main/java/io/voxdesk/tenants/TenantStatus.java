package io.voxdesk.tenants;

/** Whether a tenant's users may use Voxdesk. */
public enum TenantStatus {
	ACTIVE, DEACTIVATED
}

package io.voxdesk.tenants.internal;

import io.voxdesk.tenants.NoTenantBoundException;
import io.voxdesk.tenants.TenantContext;

import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Refuses every JPA statement issued without a tenant or platform scope, so background work that forgot to
 * choose a tenant fails loudly instead of silently reading nothing.
 */
class TenantScopeGuard implements StatementInspector {

	private final TenantContext context;

	TenantScopeGuard(TenantContext context) {
		this.context = context;
	}

	@Override
	public String inspect(String sql) {
		if (context.tenantIfBound().isEmpty() && !context.isPlatform()) {
			throw new NoTenantBoundException("Tenant data was queried without a tenant: wrap background work in "
					+ "TenantContext.runAs(tenantId, ...) (or runAsPlatform for the tenant registry)");
		}
		return sql;
	}
}

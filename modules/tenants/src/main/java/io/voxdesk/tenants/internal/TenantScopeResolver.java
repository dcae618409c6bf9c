package io.voxdesk.tenants.internal;

import io.voxdesk.tenants.TenantContext;

import org.hibernate.context.spi.CurrentTenantIdentifierResolver;
import org.springframework.stereotype.Component;

/**
 * Tells Hibernate which tenant a session belongs to, so every {@code @TenantId} entity is filtered and
 * stamped with it. The platform scope is Hibernate's "root" tenant: unfiltered, and allowed to set the
 * tenant column explicitly (platform audit entries); row-level security still limits what it sees.
 */
@Component
class TenantScopeResolver implements CurrentTenantIdentifierResolver<String> {

	static final String PLATFORM = "(platform)";

	static final String UNBOUND = "(unbound)";

	private final TenantContext context;

	TenantScopeResolver(TenantContext context) {
		this.context = context;
	}

	@Override
	public String resolveCurrentTenantIdentifier() {
		if (context.isPlatform()) {
			return PLATFORM;
		}
		return context.tenantIfBound().map(Object::toString).orElse(UNBOUND);
	}

	@Override
	public boolean validateExistingCurrentSessions() {
		return false;
	}

	@Override
	public boolean isRoot(String tenantId) {
		return PLATFORM.equals(tenantId);
	}
}

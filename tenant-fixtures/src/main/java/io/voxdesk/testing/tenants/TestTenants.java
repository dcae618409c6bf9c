package io.voxdesk.testing.tenants;

import java.util.UUID;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;

/**
 * Tenants of one test: fresh random ids that still say which test made them (the tests of every module share one
 * database), created active as the platform would. Every module's tests but the tenants module's own use it (they
 * cannot: this depends on that module).
 */
public final class TestTenants {

	private final TenantManagement tenants;

	private final TenantContext context;

	public TestTenants(TenantManagement tenants, TenantContext context) {
		this.tenants = tenants;
		this.context = context;
	}

	/** An id no tenant has yet, such as {@code c-1f3a9b2e} for prefix {@code c}. */
	public static TenantId freshId(String prefix) {
		return TenantId.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
	}

	/** A new active tenant in Brazil (the default country). */
	public TenantId create(String prefix, String name) {
		var id = freshId(prefix);
		context.runAsPlatform(() -> tenants.create(id, name));
		return id;
	}

	/** A new active tenant whose phone numbers default to {@code country} (ISO 3166, e.g. {@code US}). */
	public TenantId create(String prefix, String name, String country) {
		var id = freshId(prefix);
		context.runAsPlatform(() -> tenants.create(id, name, country));
		return id;
	}
}

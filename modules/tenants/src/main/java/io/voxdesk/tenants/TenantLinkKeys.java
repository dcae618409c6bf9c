package io.voxdesk.tenants;

/**
 * Each tenant's keys for signing links Voxdesk hands out (audio for a PBX, recordings for a host): 32 random bytes per
 * tenant and purpose, made on first use and stored encrypted with the tenant's {@link SecretCipher}, so every instance
 * signs and checks alike and a restart breaks no link.
 */
public interface TenantLinkKeys {

	/** The current tenant's key for {@code purpose}, made now if it has none yet. */
	byte[] current(SecretPurpose purpose);
}

package io.voxdesk.tenants;

/**
 * Encrypts and decrypts secrets at rest (provider tokens, ARI and SIP passwords) for the current tenant.
 * <p>
 * Envelope encryption: each tenant has versioned AES-256-GCM data keys, themselves encrypted under a
 * versioned master key from configuration. The tenant id and the purpose are bound as associated data, and
 * the ciphertext names the data-key version, so keys can rotate while older values keep decrypting.
 */
public interface SecretCipher {

	/**
	 * Encrypts a secret for the tenant bound to the current thread.
	 *
	 * @return printable ciphertext such as {@code vx1:3:...}, safe to store in a text column.
	 * @throws NoTenantBoundException if no tenant is bound.
	 */
	String encrypt(SecretPurpose purpose, String plaintext);

	/**
	 * Decrypts a secret of the tenant bound to the current thread.
	 *
	 * @throws SecretDecryptionException if the value was not encrypted for this tenant and purpose, or was altered.
	 * @throws NoTenantBoundException if no tenant is bound.
	 */
	String decrypt(SecretPurpose purpose, String ciphertext);
}

package io.voxdesk.tenants;

/** A ciphertext could not be decrypted: wrong tenant, wrong purpose, unknown key version or tampering. */
public class SecretDecryptionException extends RuntimeException {

	public SecretDecryptionException(String message) {
		super(message);
	}

	public SecretDecryptionException(String message, Throwable cause) {
		super(message, cause);
	}
}

package io.voxdesk.tenants.internal;

/** The configured master keys are missing, malformed or do not match the keys that encrypted this database. */
class MasterKeyException extends IllegalStateException {

	MasterKeyException(String message) {
		super(message);
	}
}

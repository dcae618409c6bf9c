package io.voxdesk.tenants.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a master-key problem at start-up into a short explanation and what to do about it. */
class MasterKeyFailureAnalyzer extends AbstractFailureAnalyzer<MasterKeyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MasterKeyException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Set voxdesk.tenants.master-keys.<version> (environment: VOXDESK_TENANTS_MASTERKEYS_<version>) to the "
						+ "base64 of 32 random bytes, for example from `openssl rand -base64 32`; keep every version "
						+ "that still wraps tenant keys. A jasypt ENC(...) value needs JASYPT_ENCRYPTOR_PASSWORD.",
				cause);
	}
}

package io.voxdesk.calls;

import java.util.Arrays;
import java.util.Locale;

/** The kinds of telephony provider a tenant can connect. */
public enum ProviderKind {

	/** The tenant's own Asterisk, driven through ARI. */
	ASTERISK,

	/** The API4COM cloud PBX, driven through its HTTP API and webhooks. */
	API4COM;

	/** The lowercase name used in the API and the database. */
	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @throws IllegalArgumentException naming the accepted values.
	 */
	public static ProviderKind fromCode(String code) {
		return Arrays.stream(values())
			.filter(kind -> kind.code().equals(code))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown provider kind '" + code + "': use one of "
					+ Arrays.stream(values()).map(ProviderKind::code).toList()));
	}
}

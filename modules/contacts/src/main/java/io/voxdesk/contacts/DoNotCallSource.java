package io.voxdesk.contacts;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a number came onto the do-not-call list. */
public enum DoNotCallSource {

	/** The person pressed the opt-out key of a campaign's IVR. */
	OPT_OUT("opt-out"),

	/** A tenant admin added it. */
	MANUAL("manual"),

	/** A CSV a tenant admin imported. */
	IMPORT("import");

	private final String value;

	DoNotCallSource(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return value;
	}

	/**
	 * The source an API name denotes.
	 *
	 * @throws IllegalArgumentException for any other name.
	 */
	public static DoNotCallSource of(String value) {
		for (var source : values()) {
			if (source.value.equals(value)) {
				return source;
			}
		}
		throw new IllegalArgumentException("Not a do-not-call source: " + value);
	}
}

package io.voxdesk.tenants;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a tenant: a short lowercase slug such as {@code acme}, also carried as the {@code tenant_id}
 * claim of the users' access tokens.
 *
 * @param value 2 to 63 lowercase letters, digits or dashes, starting with a letter or digit.
 */
public record TenantId(@JsonValue String value) {

	/** The shape every tenant id has, usable in validation annotations. */
	public static final String PATTERN = "^[a-z0-9][a-z0-9-]{1,62}$";

	private static final Pattern VALID = Pattern.compile(PATTERN);

	public TenantId {
		if (!isValid(value)) {
			throw new IllegalArgumentException(
					"A tenant id is 2 to 63 lowercase letters, digits or dashes, starting with a letter or digit");
		}
	}

	/** Whether the given text is a well-formed tenant id. */
	public static boolean isValid(String value) {
		return value != null && VALID.matcher(value).matches();
	}

	@JsonCreator
	public static TenantId of(String value) {
		return new TenantId(value);
	}

	@Override
	public String toString() {
		return value;
	}
}

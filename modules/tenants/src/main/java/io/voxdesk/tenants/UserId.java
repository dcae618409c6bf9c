package io.voxdesk.tenants;

import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a user: the identity provider's stable subject ({@code sub} claim), never the username. */
public record UserId(@JsonValue String value) {

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");

	public UserId {
		Objects.requireNonNull(value);
		if (!isValid(value)) {
			throw new IllegalArgumentException("'" + value + "' is not a user id: 1-64 letters, digits, '.', '_', ':', '@' or '-'.");
		}
	}

	@JsonCreator
	public static UserId of(String value) {
		return new UserId(value);
	}

	public static boolean isValid(String value) {
		return VALID.matcher(value).matches();
	}

	@Override
	public String toString() {
		return value;
	}
}

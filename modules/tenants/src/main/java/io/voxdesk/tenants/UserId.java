package io.voxdesk.tenants;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a user: the identity provider's stable subject ({@code sub} claim), never the username. */
public record UserId(@JsonValue String value) {

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

	/** 1 to 64 of {@code [A-Za-z0-9._:@-]}; checked by hand, as ids are made for every row a query reads. */
	public static boolean isValid(String value) {
		var length = value.length();
		if (length < 1 || length > 64) {
			return false;
		}
		for (var i = 0; i < length; i++) {
			var c = value.charAt(i);
			var valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
					|| c == ':' || c == '@' || c == '-';
			if (!valid) {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return value;
	}
}

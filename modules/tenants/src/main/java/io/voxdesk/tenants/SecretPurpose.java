package io.voxdesk.tenants;

import java.util.regex.Pattern;

/**
 * What a secret is for, such as {@code api4com.token}: bound into every ciphertext so a secret stored for
 * one purpose cannot be replayed as another.
 *
 * @param value lowercase dotted name.
 */
public record SecretPurpose(String value) {

	private static final Pattern VALID = Pattern.compile("^[a-z0-9]+([.-][a-z0-9]+)*$");

	public SecretPurpose {
		if (value == null || value.length() > 100 || !VALID.matcher(value).matches()) {
			throw new IllegalArgumentException("A secret purpose is a lowercase dotted name such as 'api4com.token'");
		}
	}

	public static SecretPurpose of(String value) {
		return new SecretPurpose(value);
	}
}

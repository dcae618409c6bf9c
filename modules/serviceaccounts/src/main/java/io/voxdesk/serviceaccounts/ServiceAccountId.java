package io.voxdesk.serviceaccounts;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a tenant's service account. */
public record ServiceAccountId(@JsonValue UUID value) {

	public static ServiceAccountId of(UUID value) {
		return new ServiceAccountId(value);
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

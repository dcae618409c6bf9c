package io.voxdesk.contacts;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A number on the tenant's do-not-call list.
 *
 * @param number the number in E.164.
 * @param addedBy the username of whoever added it ({@code system} for an opt-out).
 */
public record DoNotCallEntry(String number, DoNotCallSource source, @Nullable String note, String addedBy,
		Instant addedAt) {
}

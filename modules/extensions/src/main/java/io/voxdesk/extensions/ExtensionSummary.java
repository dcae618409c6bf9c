package io.voxdesk.extensions;

import java.time.Instant;

import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/** One user's extension as tenant admins list them: no password, no server details. */
public record ExtensionSummary(UserId user, String extension, @Nullable String displayName, boolean active,
		boolean passwordSet, Instant updatedAt) {
}

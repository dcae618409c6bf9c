package io.voxdesk.extensions;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A user's extension as its owner reads it back: whether a password is set, never the password.
 *
 * @param domain the SIP domain, {@literal null} when neither the user nor the provider gave one.
 * @param websocketUrl the SIP-over-WebSocket server, {@literal null} likewise.
 */
public record ExtensionDetails(String extension, String username, @Nullable String domain,
		@Nullable String websocketUrl, @Nullable String displayName, boolean active, boolean passwordSet,
		Instant updatedAt) {
}

package io.voxdesk.extensions;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a user saves as their extension. {@link #toString()} hides the password so it cannot reach a log.
 *
 * @param password the SIP password; {@literal null} keeps the stored one.
 * @param username the SIP user; {@literal null} means the extension.
 * @param domain the SIP domain; {@literal null} takes the tenant's default.
 * @param websocketUrl the SIP-over-WebSocket server; {@literal null} takes the tenant's default.
 */
public record ExtensionDraft(String extension, @Nullable String password, @Nullable String username,
		@Nullable String domain, @Nullable String websocketUrl, @Nullable String displayName, boolean active) {

	public ExtensionDraft {
		Objects.requireNonNull(extension);
	}

	/** Just an extension number, the way click-to-call's minimal settings saved it. */
	public static ExtensionDraft of(String extension, boolean active) {
		return new ExtensionDraft(extension, null, null, null, null, null, active);
	}

	@Override
	public String toString() {
		return "ExtensionDraft[extension=" + extension + ", password=" + (password == null ? "unchanged" : "***")
				+ ", username=" + username + ", domain=" + domain + ", websocketUrl=" + websocketUrl + ", displayName="
				+ displayName + ", active=" + active + "]";
	}
}

package io.voxdesk.extensions;

import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/**
 * The active extension a user's calls ring first; never carries the password.
 *
 * @param extension the extension number the PBX rings, such as {@code 1001}.
 * @param username the SIP user the phone registers as.
 * @param domain the SIP domain, if one was set.
 */
public record AgentLine(UserId user, String extension, String username, @Nullable String domain) {
}

package io.voxdesk.extensions;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;

/**
 * A user set up or changed their extension; carries no password, only that it changed.
 *
 * @param userId the extension's owner.
 * @param extension the extension number after the change.
 * @param change {@code created}, {@code updated}, {@code password-changed}, {@code activated} or
 *     {@code deactivated}.
 */
public record ExtensionChanged(TenantId tenantId, UserId userId, String extension, String change, Actor actor,
		Instant occurredAt) {
}

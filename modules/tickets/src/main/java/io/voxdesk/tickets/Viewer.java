package io.voxdesk.tickets;

import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;

/**
 * On whose behalf tickets are read or changed: tenant admins and Voxdesk itself see every ticket of the tenant,
 * an agent sees the tickets of the queues they belong to and the tickets assigned to them.
 *
 * @param user the person, or {@literal null} for Voxdesk itself.
 */
public record Viewer(@Nullable UserId user, boolean admin) {

	/** Voxdesk itself (other modules, background work): sees everything. */
	public static final Viewer SYSTEM = new Viewer(null, true);

	public static Viewer agent(UserId user) {
		return new Viewer(user, false);
	}

	public static Viewer admin(UserId user) {
		return new Viewer(user, true);
	}
}

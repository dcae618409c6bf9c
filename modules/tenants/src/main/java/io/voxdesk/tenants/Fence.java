package io.voxdesk.tenants;

import java.util.Objects;
import java.util.UUID;

/**
 * The lease under which background work acts for a resource another instance may take over (a provider
 * connection): the database refuses that work's writes once the lease's token has moved on, so a process that
 * was paused or cut off past its lease cannot overwrite what the new owner recorded.
 *
 * @param resource the leased resource's id.
 * @param token the lease's fencing token, raised by every acquisition.
 */
public record Fence(UUID resource, long token) {

	public Fence {
		Objects.requireNonNull(resource);
	}

	/** The form PostgreSQL reads from the connection setting {@code app.fence}. */
	public String asSetting() {
		return resource + ":" + token;
	}
}

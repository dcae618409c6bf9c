package io.voxdesk.calls;

import io.voxdesk.tenants.TenantId;

/**
 * Told of a call's new state right after the change is committed, in commit order, on one thread of its own: for
 * live views (the browser's call feed), which read the current state again when they reconnect. Durable work
 * belongs in listeners of the call events, which the event publication registry tracks.
 */
public interface CallObserver {

	/** Must return quickly and not throw: every call change of the application is told on one thread. */
	void changed(TenantId tenant, CallDetails call);
}

package io.voxdesk.calls;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;

/**
 * Told of each agent about to be rung for an inbound caller, before the provider rings them (so the agent's popup
 * can show who is calling as the phone starts to ring); implemented by the realtime feed.
 */
public interface OfferObserver {

	void offered(TenantId tenant, UserId agent, IncomingCall call);
}

package io.voxdesk.realtime.internal;

import io.voxdesk.calls.IncomingCall;
import io.voxdesk.calls.OfferObserver;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;

import org.springframework.stereotype.Component;

/**
 * Tells an agent who is calling ({@code /user/queue/offers}) just before their phone rings for an inbound caller:
 * the webphone shows it in the popup of the SIP call that carries the same call id.
 */
@Component
class OfferFeed implements OfferObserver {

	private final FeedSender feeds;

	OfferFeed(FeedSender feeds) {
		this.feeds = feeds;
	}

	@Override
	public void offered(TenantId tenant, UserId agent, IncomingCall call) {
		feeds.toUser(agent.value(), "/queue/offers", call);
	}
}

package io.voxdesk.realtime.internal;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallObserver;
import io.voxdesk.tenants.TenantId;

import org.springframework.stereotype.Component;

/**
 * Pushes each call's committed state to its agent, if it has one yet, ({@code /user/queue/calls}) and to the tenant's feed
 * ({@code /topic/tenants/<tenant>/calls}). A client always gets the whole record, never a delta, in commit order;
 * one that reconnects reads the current state over REST, so nothing here needs to be durable. A tenant feed's client
 * that has fallen behind skips to a call's newest state ({@link Conflation}); the agent hears every state.
 */
@Component
class CallFeed implements CallObserver {

	private final FeedSender feeds;

	CallFeed(FeedSender feeds) {
		this.feeds = feeds;
	}

	@Override
	public void changed(TenantId tenant, CallDetails call) {
		var agent = call.agent();
		if (agent != null) {
			feeds.toUser(agent.value(), "/queue/calls", call);
		}
		feeds.toTopic("/topic/tenants/" + tenant.value() + "/calls", call, call.id().toString());
	}
}

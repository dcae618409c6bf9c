package io.voxdesk.realtime.internal;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallObserver;
import io.voxdesk.tenants.TenantId;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/**
 * Pushes each call's committed state to its agent, if it has one yet, ({@code /user/queue/calls}) and to the tenant's feed
 * ({@code /topic/tenants/<tenant>/calls}). A client always gets the whole record, never a delta, in commit order;
 * one that reconnects reads the current state over REST, so nothing here needs to be durable.
 */
@Component
class CallFeed implements CallObserver {

	private final SimpMessagingTemplate messaging;

	CallFeed(SimpMessagingTemplate messaging) {
		this.messaging = messaging;
	}

	@Override
	public void changed(TenantId tenant, CallDetails call) {
		var agent = call.agent();
		if (agent != null) {
			messaging.convertAndSendToUser(agent.value(), "/queue/calls", call);
		}
		messaging.convertAndSend("/topic/tenants/" + tenant.value() + "/calls", call);
	}
}

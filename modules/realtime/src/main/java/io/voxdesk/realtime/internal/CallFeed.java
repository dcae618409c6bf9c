package io.voxdesk.realtime.internal;

import io.voxdesk.calls.CallAnswered;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallStarted;
import io.voxdesk.calls.RecordingAvailable;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Pushes each call's current state to its agent ({@code /user/queue/calls}) and to the tenant's feed
 * ({@code /topic/tenants/<tenant>/calls}) whenever something happens to it. The state is read afresh, so a client
 * always gets the whole record, never a delta it could apply out of order.
 */
@Component
class CallFeed {

	private final CallManagement calls;

	private final TenantContext context;

	private final SimpMessagingTemplate messaging;

	CallFeed(CallManagement calls, TenantContext context, SimpMessagingTemplate messaging) {
		this.calls = calls;
		this.context = context;
		this.messaging = messaging;
	}

	@ApplicationModuleListener
	void on(CallStarted event) {
		push(event.tenantId(), event.callId());
	}

	@ApplicationModuleListener
	void on(CallAnswered event) {
		push(event.tenantId(), event.callId());
	}

	@ApplicationModuleListener
	void on(CallEnded event) {
		push(event.tenantId(), event.callId());
	}

	@ApplicationModuleListener
	void on(RecordingAvailable event) {
		push(event.tenantId(), event.callId());
	}

	private void push(TenantId tenant, CallId id) {
		context.callAs(tenant, () -> calls.find(id)).ifPresent(call -> {
			messaging.convertAndSendToUser(call.agent().value(), "/queue/calls", call);
			messaging.convertAndSend("/topic/tenants/" + tenant.value() + "/calls", call);
		});
	}
}

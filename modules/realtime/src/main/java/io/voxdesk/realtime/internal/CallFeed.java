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
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Pushes each call's current state to its agent ({@code /user/queue/calls}) and to the tenant's feed
 * ({@code /topic/tenants/<tenant>/calls}) whenever something happens to it. The state is read afresh, so a client
 * always gets the whole record, never a delta it could apply out of order.
 */
// Not @ApplicationModuleListener: its transaction would hold a connection while TenantContext opens the
// tenant's own, two connections per event, which under load starves the pool. The event registry still tracks
// these transactional listeners and republishes what they did not finish.
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

	@Async
	@TransactionalEventListener
	void on(CallStarted event) {
		push(event.tenantId(), event.callId());
	}

	@Async
	@TransactionalEventListener
	void on(CallAnswered event) {
		push(event.tenantId(), event.callId());
	}

	@Async
	@TransactionalEventListener
	void on(CallEnded event) {
		push(event.tenantId(), event.callId());
	}

	@Async
	@TransactionalEventListener
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

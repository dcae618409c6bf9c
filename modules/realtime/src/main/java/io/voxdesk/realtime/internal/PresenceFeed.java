package io.voxdesk.realtime.internal;

import io.voxdesk.calls.PresenceChanged;
import io.voxdesk.calls.PresenceManagement;
import io.voxdesk.tenants.TenantContext;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Pushes each presence change to the agent ({@code /user/queue/presence}, so their other tabs follow) and to the
 * tenant's admins ({@code /topic/tenants/<tenant>/presence}), as the presence reads once the change committed.
 */
@Component
class PresenceFeed {

	private final SimpMessagingTemplate messaging;

	private final PresenceManagement presence;

	private final TenantContext context;

	PresenceFeed(SimpMessagingTemplate messaging, PresenceManagement presence, TenantContext context) {
		this.messaging = messaging;
		this.presence = presence;
		this.context = context;
	}

	@ApplicationModuleListener
	void on(PresenceChanged event) {
		var now = context.callAs(event.tenantId(), () -> presence.of(event.userId()));
		messaging.convertAndSendToUser(event.userId().value(), "/queue/presence", now);
		messaging.convertAndSend("/topic/tenants/" + event.tenantId().value() + "/presence", now);
	}
}

package io.voxdesk.realtime.internal;

import io.voxdesk.calls.PresenceChanged;
import io.voxdesk.calls.PresenceManagement;
import io.voxdesk.tenants.TenantContext;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Pushes each presence change to the agent ({@code /user/queue/presence}, so their other tabs follow) and to the
 * tenant's admins ({@code /topic/tenants/<tenant>/presence}), as the presence reads once the change committed.
 */
@Component
class PresenceFeed {

	private final FeedSender feeds;

	private final PresenceManagement presence;

	private final TenantContext context;

	PresenceFeed(FeedSender feeds, PresenceManagement presence, TenantContext context) {
		this.feeds = feeds;
		this.presence = presence;
		this.context = context;
	}

	@ApplicationModuleListener
	void on(PresenceChanged event) {
		var now = context.callAs(event.tenantId(), () -> presence.of(event.userId()));
		feeds.toUser(event.userId().value(), "/queue/presence", now);
		feeds.toTopic("/topic/tenants/" + event.tenantId().value() + "/presence", now, event.userId().value());
	}
}

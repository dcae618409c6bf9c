package io.voxdesk.realtime.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.messaging.simp.user.UserRegistryMessageHandler;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Tells the other instances, through the relay, which STOMP sessions this one holds as soon as one opens or closes.
 * Spring announces them only every 10 s; meanwhile an instance that knew some of a user's sessions resolved
 * {@code /user/...} to those alone, so a webphone that had just reconnected through the load balancer to another
 * instance missed its calls' states for up to 10 s. Announcements are coalesced over {@link #COALESCE}, so a burst of
 * reconnections (an instance died) costs a few of them, not one per session.
 */
@Component
@ConditionalOnProperty("voxdesk.realtime.relay.host")
class UserRegistryAnnouncements {

	static final Duration COALESCE = Duration.ofMillis(100);

	private final ObjectProvider<MessageHandler> handler;

	private final ObjectProvider<TaskScheduler> scheduler;

	private final AtomicBoolean pending = new AtomicBoolean();

	UserRegistryAnnouncements(@Qualifier("userRegistryMessageHandler") ObjectProvider<MessageHandler> handler,
			@Qualifier("messageBrokerTaskScheduler") ObjectProvider<TaskScheduler> scheduler) {
		this.handler = handler;
		this.scheduler = scheduler;
	}

	@EventListener
	void connected(SessionConnectedEvent event) {
		announceSoon();
	}

	@EventListener
	void disconnected(SessionDisconnectEvent event) {
		announceSoon();
	}

	private void announceSoon() {
		// Later than the event itself, which the local registry records in a listener of its own.
		if (pending.compareAndSet(false, true)) {
			scheduler.getObject().schedule(this::announce, Instant.now().plus(COALESCE));
		}
	}

	private void announce() {
		pending.set(false);
		if (!(handler.getObject() instanceof UserRegistryMessageHandler announcer)) {
			return;
		}
		// Spring's announcement runs at once when (re)started, then every 10 s: restarting it announces now. When the
		// broker is away, the announcement is dropped and Spring restarts it itself once the broker is back.
		announcer.onApplicationEvent(new BrokerAvailabilityEvent(false, this));
		announcer.onApplicationEvent(new BrokerAvailabilityEvent(true, this));
	}
}

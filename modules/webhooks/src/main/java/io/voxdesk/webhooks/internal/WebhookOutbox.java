package io.voxdesk.webhooks.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import io.voxdesk.calls.CallAnswered;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallNoted;
import io.voxdesk.calls.CallStarted;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.CallbackCreated;
import io.voxdesk.calls.RecordingAvailable;
import io.voxdesk.calls.RecordingLinks;
import io.voxdesk.campaigns.CampaignStateChanged;
import io.voxdesk.contacts.ContactCreated;
import io.voxdesk.contacts.ContactsImported;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.TicketClosed;
import io.voxdesk.tickets.TicketOpened;
import io.voxdesk.webhooks.WebhookEndpointId;
import io.voxdesk.webhooks.WebhooksSettings;

import javax.sql.DataSource;

import jakarta.persistence.EntityManager;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the modules' events into webhook deliveries: for each endpoint of the event's tenant that subscribed to its
 * type, a row in the outbox, written in the transaction that published the event, just before it commits. The fact
 * and its deliveries commit together or not at all, and nothing is sent before the commit (the dispatcher reads
 * only committed rows); an event without subscribers costs one indexed read. The event key makes an event handed
 * over twice add nothing. Bodies follow version 1 of each type's schema: {@code {"type", "version", "timestamp",
 * "tenant", "data"}}.
 */
@Component
class WebhookOutbox {

	private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HibernateJpaDialect JPA = new HibernateJpaDialect();

	private final WebhookEndpoints endpoints;

	private final WebhookDeliveries deliveries;

	private final TenantContext context;

	private final CallManagement calls;

	private final RecordingLinks recordingLinks;

	private final WebhooksSettings settings;

	private final Clock clock;

	private final DataSource dataSource;

	private final EntityManager entityManager;

	WebhookOutbox(WebhookEndpoints endpoints, WebhookDeliveries deliveries, TenantContext context, CallManagement calls,
			RecordingLinks recordingLinks, WebhooksSettings settings, DataSource dataSource, EntityManager entityManager,
			Optional<Clock> clock) {
		this.recordingLinks = recordingLinks;
		this.settings = settings;
		this.endpoints = endpoints;
		this.deliveries = deliveries;
		this.context = context;
		this.calls = calls;
		this.clock = clock.orElse(Clock.systemUTC());
		this.dataSource = dataSource;
		this.entityManager = entityManager;
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(CallStarted event) {
		queue(event.tenantId(), WebhookEventType.CALL_STARTED, "call.started:" + event.callId(), orderOf(event.callId()),
				event.occurredAt(), data -> call(data, event.callId()));
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(CallAnswered event) {
		queue(event.tenantId(), WebhookEventType.CALL_ANSWERED, "call.answered:" + event.callId(), orderOf(event.callId()),
				event.occurredAt(), data -> call(data, event.callId()).put("answeredAt", event.occurredAt().toString()));
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(CallEnded event) {
		Consumer<ObjectNode> ended = data -> call(data, event.callId()).put("status", event.status().code())
			.put("outcome", event.outcome().code())
			.put("talkSeconds", event.talkSeconds())
			.put("hangupCause", event.hangupCause())
			.put("corrected", event.corrected())
			.put("endedAt", event.occurredAt().toString());
		queue(event.tenantId(), WebhookEventType.CALL_ENDED, "call.ended:" + event.callId() + ":" + event.occurredAt()
				+ ":" + event.corrected(), orderOf(event.callId()), event.occurredAt(), ended);
		if (event.status() == CallStatus.MISSED && !event.corrected()) {
			queue(event.tenantId(), WebhookEventType.CALL_MISSED, "call.missed:" + event.callId(), orderOf(event.callId()),
					event.occurredAt(), ended);
		}
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(RecordingAvailable event) {
		queue(event.tenantId(), WebhookEventType.CALL_RECORDING_AVAILABLE, "call.recording_available:" + event.callId(),
				orderOf(event.callId()), event.occurredAt(), data -> {
					var link = recordingLinks.link(event.callId(), settings.recordingLinkLifetime());
					call(data, event.callId()).set("recording", data.objectNode()
						.put("url", settings.publicBaseUrl().toString().replaceAll("/+$", "") + link.path())
						.put("expiresAt", link.expiresAt().toString())
						.put("apiPath", "/api/calls/" + event.callId() + "/recording"));
				});
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(CallNoted event) {
		queue(event.tenantId(), WebhookEventType.CALL_NOTE, "call.note:" + event.callId() + ":" + event.occurredAt(),
				orderOf(event.callId()), event.occurredAt(), data -> {
					var details = details(event.callId());
					call(data, event.callId(), details).put("note", details == null ? null : details.note())
						.put("disposition", details == null ? null : details.disposition())
						.put("by", event.actor().username());
				});
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(CallbackCreated event) {
		queue(event.tenantId(), WebhookEventType.CALLBACK_CREATED, "callback.created:" + event.callbackId(),
				orderOf(event.callId()), event.occurredAt(), data -> data.put("callbackId", event.callbackId().toString())
					.put("callId", event.callId().toString())
					.put("queueId", string(event.queueId()))
					.put("ticketId", string(event.ticketId())));
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(TicketOpened event) {
		var key = "ticket.created:" + event.ticketId();
		queue(event.tenantId(), WebhookEventType.TICKET_CREATED, key, key, clock.instant(),
				data -> data.put("ticketId", event.ticketId().toString()).put("contactId", string(event.contactId())));
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(TicketClosed event) {
		// A ticket can be closed, reopened and closed again, and the event names no moment: no natural key, so a
		// rare second hand-over of the same close is delivered twice (receivers deduplicate on the data).
		var key = "ticket.closed:" + event.ticketId() + ":" + UUID.randomUUID();
		queue(event.tenantId(), WebhookEventType.TICKET_CLOSED, key, key, clock.instant(),
				data -> data.put("ticketId", event.ticketId().toString()));
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(ContactCreated event) {
		var key = "contact.created:" + event.contactId();
		queue(event.tenantId(), WebhookEventType.CONTACT_CREATED, key, key, clock.instant(),
				data -> data.put("contactId", event.contactId().toString()));
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(ContactsImported event) {
		var key = "contact_import.finished:" + event.importId();
		queue(event.tenantId(), WebhookEventType.CONTACT_IMPORT_FINISHED, key, key, clock.instant(),
				data -> data.put("importId", event.importId().toString())
					.put("state", "completed")
					.put("imported", event.imported())
					.put("rejected", event.rejected()));
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
	void on(CampaignStateChanged event) {
		if (!event.to().isFinal()) {
			return;
		}
		var key = "campaign.finished:" + event.campaignId();
		queue(event.tenantId(), WebhookEventType.CAMPAIGN_FINISHED, key, key, event.occurredAt(),
				data -> data.put("campaignId", event.campaignId().toString())
					.put("name", event.name())
					.put("state", event.to().value()));
	}

	/** Queues a {@code webhook.test} delivery to one endpoint, whatever it subscribed to. */
	UUID test(TenantId tenant, WebhookEndpointId endpoint) {
		var id = UUID.randomUUID();
		var key = "webhook.test:" + id;
		var body = body(tenant, WebhookEventType.TEST, clock.instant(),
				data -> data.put("endpointId", endpoint.toString())
					.put("message", "A test event from Voxdesk: this endpoint receives and can verify deliveries."));
		deliveries.enqueue(id, tenant, endpoint, WebhookEventType.TEST.code(), key, key, body, clock.instant());
		return id;
	}

	private void queue(TenantId tenant, WebhookEventType type, String eventKey, String orderingKey, Instant at,
			Consumer<ObjectNode> data) {
		if (TransactionSynchronizationManager.isActualTransactionActive()
				&& context.tenantIfBound().filter(tenant::equals).isEmpty()) {
			// runAs would then write the deliveries in a transaction of their own, committed even if the fact is not.
			log.warn("Webhook {} for tenant {} published outside that tenant's scope: queued in a transaction of its own",
					type.code(), tenant);
		}
		context.runAs(tenant, () -> {
			// A plain read, which flushes nothing: an event without subscribers costs this alone.
			var subscribed = endpoints.subscribedTo(type.code());
			if (subscribed.isEmpty()) {
				return;
			}
			underSavepoint(() -> {
				var body = body(tenant, type, at, data);
				var now = clock.instant();
				for (var endpoint : subscribed) {
					deliveries.enqueue(UUID.randomUUID(), tenant, endpoint, type.code(), eventKey, orderingKey, body, now);
				}
			}, type);
		});
	}

	/**
	 * Runs the outbox's work under a savepoint of the publishing transaction: in PostgreSQL a failed statement aborts
	 * the whole transaction, and a webhook must never undo the call, ticket or contact it tells about. The
	 * persistence context is flushed first, so that rolling back to the savepoint never undoes a change it believes
	 * written.
	 */
	private void underSavepoint(Runnable work, WebhookEventType type) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			try {
				work.run();
			}
			catch (RuntimeException ex) {
				log.error("Webhook {} could not be queued", type.code(), ex);
			}
			return;
		}
		if (entityManager.isJoinedToTransaction()) {
			try {
				entityManager.flush();
			}
			catch (RuntimeException ex) {
				// The fact itself cannot be written: its publisher hears why, as it would have at the commit.
				var translated = JPA.translateExceptionIfPossible(ex);
				throw translated != null ? translated : ex;
			}
		}
		var connection = DataSourceUtils.getConnection(dataSource);
		try {
			var savepoint = connection.setSavepoint();
			try {
				work.run();
				if (entityManager.isJoinedToTransaction()) {
					entityManager.flush();
				}
				connection.releaseSavepoint(savepoint);
			}
			catch (RuntimeException ex) {
				connection.rollback(savepoint);
				log.error("Webhook {} could not be queued; the fact it tells about is kept", type.code(), ex);
			}
		}
		catch (SQLException ex) {
			log.error("Webhook {} could not be queued: the savepoint around it failed", type.code(), ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	private static String body(TenantId tenant, WebhookEventType type, Instant at, Consumer<ObjectNode> data) {
		var body = JSON.createObjectNode()
			.put("type", type.code())
			.put("version", WebhookEventType.VERSION)
			.put("timestamp", at.toString())
			.put("tenant", tenant.value());
		data.accept(body.putObject("data"));
		return body.toString();
	}

	/** Deliveries about one call go out in order: they share this key. */
	private static String orderOf(CallId call) {
		return "call:" + call;
	}

	private @Nullable CallDetails details(CallId call) {
		return calls.find(call).orElse(null);
	}

	/** The call's lasting facts, as the call record has them when the delivery is queued. */
	private ObjectNode call(ObjectNode data, CallId call) {
		return call(data, call, details(call));
	}

	private static ObjectNode call(ObjectNode data, CallId call, @Nullable CallDetails details) {
		data.put("callId", call.toString());
		if (details != null) {
			data.put("direction", details.direction())
				.put("number", details.number())
				.put("ticketId", string(details.ticket()))
				.put("contactId", string(details.contact()))
				.put("agentId", string(details.agent()))
				.put("agentName", details.agentName())
				.put("queueId", string(details.queue()))
				.put("campaign", details.campaign())
				.put("requestedAt", details.requestedAt().toString());
		}
		return data;
	}

	private static @Nullable String string(@Nullable Object id) {
		return id == null ? null : id.toString();
	}
}

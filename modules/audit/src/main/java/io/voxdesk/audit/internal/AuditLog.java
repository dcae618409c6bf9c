package io.voxdesk.audit.internal;

import java.time.Instant;

import io.voxdesk.audio.AudioAdded;
import io.voxdesk.audio.AudioDeleted;
import io.voxdesk.audit.AuditEntryId;
import io.voxdesk.calls.InboundNumberChanged;
import io.voxdesk.calls.ConnectionTakenOver;
import io.voxdesk.calls.ProviderConnectionChanged;
import io.voxdesk.calls.QueueRoutingChanged;
import io.voxdesk.calls.RecordingPlayed;
import io.voxdesk.campaigns.CampaignStateChanged;
import io.voxdesk.contacts.DoNotCallChanged;
import io.voxdesk.extensions.ExtensionChanged;
import io.voxdesk.serviceaccounts.ServiceAccountChanged;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantCreated;
import io.voxdesk.tenants.TenantDeactivated;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantKeyRotated;
import io.voxdesk.tenants.TenantReactivated;
import io.voxdesk.webhooks.WebhookEndpointChanged;
import io.voxdesk.webhooks.WebhookEndpointDisabled;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Writes an audit entry for every audited event, once per event even when it is delivered again. */
@Component
class AuditLog {

	private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

	private final AuditEntries entries;

	private final TenantContext context;

	AuditLog(AuditEntries entries, TenantContext context) {
		this.entries = entries;
		this.context = context;
	}

	@ApplicationModuleListener
	void on(TenantCreated event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "tenant.created",
				"Tenant " + event.tenantId() + " created");
	}

	@ApplicationModuleListener
	void on(TenantDeactivated event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "tenant.deactivated",
				"Tenant " + event.tenantId() + " deactivated");
	}

	@ApplicationModuleListener
	void on(TenantReactivated event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "tenant.reactivated",
				"Tenant " + event.tenantId() + " reactivated");
	}

	@ApplicationModuleListener
	void on(TenantKeyRotated event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "tenant.key-rotated",
				"Data key of tenant " + event.tenantId() + " rotated to version " + event.keyVersion());
	}

	@ApplicationModuleListener
	void on(ProviderConnectionChanged event) {
		var what = switch (event.change()) {
			case "secret-changed" -> "secret changed";
			default -> event.change();
		};
		record(event.tenantId(), event.occurredAt(), event.actor(), "provider-connection." + event.change(),
				"provider-connection", event.connectionId().toString(),
				event.kind().code() + " connection '" + event.name() + "' " + what);
	}

	@ApplicationModuleListener
	void on(ConnectionTakenOver event) {
		record(event.tenantId(), event.occurredAt(), Actor.SYSTEM, "provider-connection.taken-over",
				"provider-connection", event.connectionId().toString(), "instance " + event.holder()
						+ " took the connection over from " + event.previousHolder() + " (token " + event.token()
						+ "): " + event.cause());
	}

	@ApplicationModuleListener
	void on(InboundNumberChanged event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "inbound-number." + event.change(),
				"inbound-number", event.numberId().value().toString(), "number " + event.number() + " "
						+ event.change() + (event.route().isEmpty() ? "" : ": calls go to " + event.route()));
	}

	@ApplicationModuleListener
	void on(QueueRoutingChanged event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "queue-routing.updated", "queue",
				event.queueId().value().toString(), "call routing set: " + event.summary());
	}

	/** The owner's own changes, so a leaked token that re-points a phone leaves a trace; never the password. */
	@ApplicationModuleListener
	void on(ExtensionChanged event) {
		var what = switch (event.change()) {
			case "password-changed" -> "password changed";
			default -> event.change();
		};
		record(event.tenantId(), event.occurredAt(), event.actor(), "extension." + event.change(), "extension",
				event.userId().value(), "extension " + event.extension() + " " + what);
	}

	@ApplicationModuleListener
	void on(AudioAdded event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "audio.added", "audio", event.audioId().toString(),
				event.source().value() + " \"" + event.name() + "\" added as " + event.kind().value() + " ("
						+ event.durationMillis() + " ms)");
	}

	@ApplicationModuleListener
	void on(AudioDeleted event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "audio.deleted", "audio", event.audioId().toString(),
				"audio \"" + event.name() + "\" deleted");
	}

	@ApplicationModuleListener
	void on(CampaignStateChanged event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "campaign." + event.to().value(), "campaign",
				event.campaignId().toString(), "campaign \"" + event.name() + "\" " + event.from().value() + " -> "
						+ event.to().value());
	}

	@ApplicationModuleListener
	void on(DoNotCallChanged event) {
		var summary = switch (event.change()) {
			case "imported" -> event.subject() + " numbers imported to the do-not-call list";
			default -> event.subject() + " " + event.change() + (event.change().equals("added") ? " to" : " from")
					+ " the do-not-call list";
		};
		record(event.tenantId(), event.occurredAt(), event.actor(), "do-not-call." + event.change(), "do-not-call",
				event.subject(), summary);
	}

	@ApplicationModuleListener
	void on(RecordingPlayed event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "call.recording-played", "call",
				event.callId().toString(), event.actor().username() + " was sent " + event.served()
						+ " of the recording of call " + event.callId());
	}

	@ApplicationModuleListener
	void on(WebhookEndpointChanged event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "webhook-endpoint." + event.change(),
				"webhook-endpoint", event.endpointId().toString(), "Webhook endpoint on " + event.host() + " "
						+ event.change().replace('-', ' '));
	}

	@ApplicationModuleListener
	void on(WebhookEndpointDisabled event) {
		record(event.tenantId(), event.occurredAt(), Actor.SYSTEM, "webhook-endpoint.disabled", "webhook-endpoint",
				event.endpointId().toString(), "Webhook endpoint on " + event.host() + " disabled by Voxdesk: "
						+ event.reason());
	}

	@ApplicationModuleListener
	void on(ServiceAccountChanged event) {
		record(event.tenantId(), event.occurredAt(), event.actor(), "service-account." + event.change(),
				"service-account", event.serviceAccountId().toString(), "Service account " + event.clientId() + " ("
						+ String.join(", ", event.roles().stream().sorted().toList()) + ") " + event.change().replace('-', ' '));
	}

	private void record(TenantId tenant, Instant at, Actor actor, String action, String summary) {
		record(tenant, at, actor, action, "tenant", tenant.value(), summary);
	}

	private void record(TenantId tenant, Instant at, Actor actor, String action, String targetType, String targetId,
			String summary) {
		var id = AuditEntryId.forFact(action + "|" + tenant + "|" + targetId + "|" + at + "|" + actor.subject());
		context.runAsPlatform(() -> {
			if (entries.existsById(id.value())) {
				return;
			}
			entries.save(new AuditEntry(id, tenant, at, actor, action, targetType, targetId, summary));
			log.info("Audited {} on tenant {} by {}", action, tenant, actor.subject());
		});
	}
}

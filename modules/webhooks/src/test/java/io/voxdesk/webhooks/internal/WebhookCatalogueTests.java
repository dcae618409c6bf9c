package io.voxdesk.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.persistence.EntityManager;

import io.voxdesk.calls.CallAnswered;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallNoted;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStarted;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.CallbackCreated;
import io.voxdesk.calls.CallbackId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.RecordingAvailable;
import io.voxdesk.calls.RecordingLinks;
import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignState;
import io.voxdesk.campaigns.CampaignStateChanged;
import io.voxdesk.contacts.ContactCreated;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactImportId;
import io.voxdesk.contacts.ContactsImported;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.DocumentExamples;
import io.voxdesk.tickets.TicketClosed;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketOpened;
import io.voxdesk.webhooks.WebhookEndpointId;
import io.voxdesk.webhooks.WebhooksSettings;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The examples of docs/webhooks.md are what {@link WebhookOutbox} writes: each event type's message built by the outbox
 * itself from a sample event (its collaborators stand in: one subscribed endpoint, a sample call record), so a field
 * added, renamed or dropped in the code changes the example and this test fails until the document follows
 * ({@code -Dvoxdesk.docs.update=true} rewrites the examples).
 */
class WebhookCatalogueTests {

	static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	static final TenantId TENANT = TenantId.of("acme");

	static final Instant AT = Instant.parse("2026-12-07T13:05:22Z");

	@Test
	void everyEventTypeHasAnExampleTheOutboxWrites() throws IOException {
		var examples = examples();
		assertThat(examples.keySet()).as("an example of every event type")
			.containsExactlyInAnyOrder(java.util.Arrays.stream(WebhookEventType.values()).map(WebhookEventType::code)
				.toArray(String[]::new));
		var found = DocumentExamples.check(WebhookDocumentationTests.DOC, "webhook-example", examples);
		assertThat(found.documented()).as("docs/webhooks.md has one example per event type")
			.containsExactlyInAnyOrderElementsOf(examples.keySet());
		assertThat(found.differing()).as("examples that differ from what the outbox writes; rewrite them with "
				+ "-Dvoxdesk.docs.update=true").isEmpty();
	}

	/** Each event type's message, as the outbox writes it for a sample event. */
	static Map<String, String> examples() {
		var endpoint = WebhookEndpointId.of(UUID.fromString("2b7e4f1a-9c3d-4e5f-8a6b-1c2d3e4f5a6b"));
		var endpoints = mock(WebhookEndpoints.class);
		when(endpoints.subscribedTo(anyString())).thenReturn(List.of(endpoint));
		var written = new LinkedHashMap<String, String>();
		var deliveries = mock(WebhookDeliveries.class);
		when(deliveries.enqueue(any(), any(), eq(endpoint), anyString(), anyString(), anyString(), anyString(), any()))
			.thenAnswer(call -> {
				written.putIfAbsent(call.getArgument(3),
						PRETTY.writeValueAsString(PRETTY.readTree((String) call.getArgument(6))));
				return true;
			});
		var context = mock(TenantContext.class);
		doAnswer(call -> {
			call.<Runnable>getArgument(1).run();
			return null;
		}).when(context).runAs(any(), any());
		var call = CallId.of(UUID.fromString("0d6c2a48-52f1-4a5e-9c3e-7b1f0a9d2e11"));
		var ticket = TicketId.of(UUID.fromString("1a2ece55-83f9-4b03-befc-b398fbbbc9de"));
		var contact = ContactId.of(UUID.fromString("9e4b7c1d-2f3a-4d5e-8b6c-0a1f2e3d4c5b"));
		var agent = UserId.of("5b0c9f2e-1d3a-4c6b-8e7f-2a9d4c6e8b10");
		var requested = AT.minusSeconds(191);
		var record = new CallDetails(call, CallStatus.COMPLETED, CallOutcome.ANSWERED, "outbound", agent, "Artur Acme",
				"1001", "+554833328530", contact, ticket, ProviderKind.of("asterisk"), requested, requested.plusSeconds(3),
				requested.plusSeconds(9), AT, 0, 182, "Normal Clearing", null, false, false, true,
				"Customer confirmed the modem works again.", "resolved", null, null, null, null, "1733576531.42", null);
		var missed = CallId.of(UUID.fromString("8c7b6a5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d"));
		var queue = io.voxdesk.tickets.QueueId.of(UUID.fromString("3c8d1e2f-4a5b-4c6d-9e7f-8a0b1c2d3e4f"));
		var inbound = new CallDetails(missed, CallStatus.MISSED, CallOutcome.ABANDONED, "inbound", null, null, null,
				"+5548991234567", contact, ticket, ProviderKind.of("asterisk"), AT.minusSeconds(48), null, null, AT, 0, 0,
				"Normal Clearing", null, false, false, false, null, null, null, "MARIA SOUZA", "+554833330100", queue,
				"1733576580.57", null);
		var calls = mock(CallManagement.class);
		when(calls.find(call)).thenReturn(Optional.of(record));
		when(calls.find(missed)).thenReturn(Optional.of(inbound));
		var links = mock(RecordingLinks.class);
		when(links.link(call, Duration.ofHours(1))).thenReturn(new RecordingLinks.SignedLink("/media/recordings/acme/"
				+ call + "?exp=1765116322&sig=q2Vb0x8mJtM4k1XfW9aP3nR7sL5uY6cE0dHgKiZoT1A", AT.plusSeconds(3600)));
		var settings = new WebhooksSettings(List.of(Duration.ofSeconds(5)), Duration.ofSeconds(5), Duration.ofSeconds(10),
				Duration.ofHours(24), false, 4, Duration.ofMillis(500), Duration.ofDays(30),
				java.net.URI.create("https://voxdesk.example.com"), Duration.ofHours(1));
		var outbox = new WebhookOutbox(endpoints, deliveries, context, calls, links, settings, mock(DataSource.class),
				mock(EntityManager.class), Optional.of(Clock.fixed(AT, ZoneOffset.UTC)));

		outbox.on(new CallStarted(TENANT, call, ticket, agent, "Artur Acme", "+554833328530", requested));
		outbox.on(new CallAnswered(TENANT, call, ticket, requested.plusSeconds(9)));
		outbox.on(new CallEnded(TENANT, call, ticket, CallStatus.COMPLETED, CallOutcome.ANSWERED, 182, "Normal Clearing",
				false, AT));
		outbox.on(new CallEnded(TENANT, missed, ticket, CallStatus.MISSED, CallOutcome.ABANDONED, 0, "Normal Clearing",
				false, AT));
		outbox.on(new RecordingAvailable(TENANT, call, ticket, AT.plusSeconds(4)));
		outbox.on(new CallNoted(TENANT, call, ticket, new Actor(agent.value(), "acme-agent"), AT.plusSeconds(40)));
		outbox.on(new CallbackCreated(TENANT, new CallbackId(UUID.fromString("6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d")),
				missed, queue, ticket, AT));
		outbox.on(new TicketOpened(TENANT, ticket, contact));
		outbox.on(new TicketClosed(TENANT, ticket));
		outbox.on(new ContactCreated(TENANT, contact));
		outbox.on(new ContactsImported(TENANT, ContactImportId.of(UUID.fromString("4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a")),
				1250, 3));
		outbox.on(new CampaignStateChanged(TENANT, CampaignId.of(UUID.fromString("7f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8")),
				"Demo: lembrete de fatura", CampaignState.RUNNING, CampaignState.COMPLETED, Actor.SYSTEM, AT));
		outbox.test(TENANT, endpoint);
		return written;
	}
}

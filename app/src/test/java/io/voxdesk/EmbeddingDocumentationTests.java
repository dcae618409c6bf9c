package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.voxdesk.calls.AgentPresence;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.IncomingCall;
import io.voxdesk.calls.PresenceState;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignReport;
import io.voxdesk.campaigns.CampaignState;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.testing.DocumentExamples;
import io.voxdesk.tickets.TicketId;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import tools.jackson.databind.json.JsonMapper;

/**
 * The events catalogue of {@code docs/embedding.md} is the code's: each STOMP message's example is a value of the type
 * the feed sends, serialized by the application's own JSON mapper (a field added to the type changes the example,
 * and this test fails until the document follows: {@code -Dvoxdesk.docs.update=true} rewrites it), and every
 * destination a feed of the realtime module sends to is in the catalogue.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EmbeddingDocumentationTests {

	static final Path DOCUMENT = CommittedDocuments.root().resolve("docs/embedding.md");

	@Autowired
	JsonMapper json;

	@Test
	void everyStompExampleIsWhatTheApplicationSerializes() throws IOException {
		var examples = examples();
		var found = DocumentExamples.check(DOCUMENT, "stomp-example", examples);
		assertThat(found.documented()).as("every message the feeds send has an example")
			.containsExactlyInAnyOrderElementsOf(examples.keySet());
		assertThat(found.differing()).as("examples that differ from what the application sends; rewrite them with "
				+ "-Dvoxdesk.docs.update=true").isEmpty();
	}

	@Test
	void everyDestinationTheFeedsSendToIsInTheCatalogue() throws IOException {
		var document = Files.readString(DOCUMENT);
		var sources = CommittedDocuments.root().resolve("modules/realtime/src/main/java/io/voxdesk/realtime/internal");
		var toUser = Pattern.compile("toUser\\([^,]+, \"(/queue/[a-z]+)\"");
		var toTopic = Pattern.compile("toTopic\\(\"/topic/tenants/\" \\+ [^+]+\\+ \"(/[a-z]+)\"");
		var sent = new TreeSet<String>();
		try (Stream<Path> files = Files.list(sources)) {
			for (var file : files.filter(f -> f.getFileName().toString().endsWith("Feed.java")).toList()) {
				var source = Files.readString(file);
				toUser.matcher(source).results().forEach(m -> sent.add("/user" + m.group(1)));
				toTopic.matcher(source).results().forEach(m -> sent.add("/topic/tenants/<tenant>" + m.group(1)));
			}
		}
		assertThat(sent).as("destinations found in the feeds").hasSizeGreaterThanOrEqualTo(6);
		assertThat(sent).allSatisfy(destination -> assertThat(document).contains("<!-- stomp-example: " + destination + " -->"));
	}

	/** What each destination carries, as the application serializes it. */
	Map<String, String> examples() {
		var call = UUID.fromString("0d6c2a48-52f1-4a5e-9c3e-7b1f0a9d2e11");
		var agent = UserId.of("5b0c9f2e-1d3a-4c6b-8e7f-2a9d4c6e8b10");
		var ticket = TicketId.of(UUID.fromString("1a2ece55-83f9-4b03-befc-b398fbbbc9de"));
		var contact = ContactId.of(UUID.fromString("9e4b7c1d-2f3a-4d5e-8b6c-0a1f2e3d4c5b"));
		var queue = QueueId.of(UUID.fromString("3c8d1e2f-4a5b-4c6d-9e7f-8a0b1c2d3e4f"));
		var at = Instant.parse("2026-12-07T13:02:11Z");
		var record = new CallDetails(CallId.of(call), CallStatus.COMPLETED, CallOutcome.ANSWERED, "outbound", agent,
				"Artur Acme", "1001", "+554833328530", contact, ticket, ProviderKind.of("asterisk"), at,
				at.plusSeconds(3), at.plusSeconds(9), at.plusSeconds(191), 0, 182, "Normal Clearing", null, false, false,
				true, "Customer confirmed the modem works again.", "resolved", null, null, null, null,
				"1733576531.42", null);
		var offer = new IncomingCall(CallId.of(call), 1, "+5548991234567", "MARIA SOUZA", contact, "Maria Souza",
				ticket, "Fatura cobrada em dobro", queue, "Suporte", "+554833330100", at);
		var presence = new AgentPresence(agent, "acme-agent", PresenceState.AVAILABLE, PresenceState.AVAILABLE, null,
				at);
		var report = new CampaignReport(CampaignId.of(UUID.fromString("7f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8")),
				"Demo: lembrete de fatura", CampaignState.RUNNING, 5, Map.of("answered", 2, "busy", 1),
				Map.of("answered", 40.0, "busy", 20.0), 3, 0.6, 2, 3, 54, 27.0,
				List.of(new CampaignReport.Hour(Instant.parse("2026-12-07T13:00:00Z"), 3, 2)), Map.of("9", 1));
		var examples = new LinkedHashMap<String, String>();
		examples.put("/user/queue/calls", pretty(record));
		examples.put("/user/queue/offers", pretty(offer));
		examples.put("/user/queue/presence", pretty(presence));
		examples.put("/topic/tenants/<tenant>/calls", pretty(record));
		examples.put("/topic/tenants/<tenant>/presence", pretty(presence));
		examples.put("/topic/tenants/<tenant>/campaigns", pretty(report));
		return examples;
	}

	private String pretty(Object value) {
		// Sorted keys: the maps' order would otherwise vary from run to run.
		return json.rebuild()
			.enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
			.enable(tools.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
			.build()
			.writeValueAsString(value);
	}
}

package io.voxdesk.api4com.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;

import org.junit.jupiter.api.Test;

/** Reading API4COM's payloads: São Paulo wall-clock times, empty answers, missing links, FreeSWITCH causes. */
class Api4comFactsTests {

	static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	final CallId call = CallId.random();

	/** The official hangup example, with the Voxdesk call id in its metadata. */
	String officialHangup() {
		return """
				{"version":"v1.4","eventType":"channel-hangup","id":"2ee13fa4-975c-499d-bbb8-5177ff418316",
				 "domain":"seudominio.api4com.com","direction":"outbound","caller":"1000","called":"04833328530",
				 "startedAt":"2025-01-01 00:00:00","answeredAt":"2025-01-01 00:00:05","endedAt":"2025-01-01 00:00:10",
				 "duration":5,"hangupCause":"NORMAL_CLEARING","hangupCauseCode":"16",
				 "recordUrl":"https://listener.api4com.com/files/listen/2ee13fa4-975c-499d-bbb8-5177ff418316.mp3",
				 "metadata":{"gateway":"voxdesk","voxdeskCallId":"%s","voxdeskTenant":"acme"}}""".formatted(call);
	}

	@Test
	void webhookTimesAreSaoPauloWallClockAndCallRecordTimesAreTooDespiteTheirZ() {
		assertThat(Api4comTime.parse("2025-01-01 00:00:05")).isEqualTo(Instant.parse("2025-01-01T03:00:05Z"));
		assertThat(Api4comTime.parse("2026-05-14T10:00:44.000Z")).isEqualTo(Instant.parse("2026-05-14T13:00:44Z"));
		// Brazil still had summer time in 2018: the zone's rules apply, not a fixed -03:00.
		assertThat(Api4comTime.parse("2018-12-01 12:00:00")).isEqualTo(Instant.parse("2018-12-01T14:00:00Z"));
		assertThat(Api4comTime.parse("2026-05-14T10:00:44-03:00")).isEqualTo(Instant.parse("2026-05-14T13:00:44Z"));
		assertThat(Api4comTime.parse("")).isNull();
		assertThat(Api4comTime.parse("yesterday")).isNull();
		assertThat(Api4comTime.filter(Instant.parse("2026-05-14T13:00:44.123Z"))).isEqualTo("2026-05-14T10:00:44.123Z");
	}

	@Test
	void aHangupWithAnAnswerTimeCarriesTheAnswerTheEndAndTheRecordingLink() {
		var events = Api4comFacts.fromWebhook(call, Json.parse(officialHangup()), NOW);

		assertThat(events).extracting(ProviderCallEvent::type).containsExactly(Type.ANSWERED, Type.ENDED);
		assertThat(events).allSatisfy(event -> {
			assertThat(event.call()).isEqualTo(call);
			assertThat(event.leg()).isEqualTo(CallLeg.CUSTOMER);
			assertThat(event.providerCallId()).isEqualTo("2ee13fa4-975c-499d-bbb8-5177ff418316");
		});
		assertThat(events.get(0).occurredAt()).isEqualTo(Instant.parse("2025-01-01T03:00:05Z"));
		assertThat(events.get(1).occurredAt()).isEqualTo(Instant.parse("2025-01-01T03:00:10Z"));
		assertThat(events.get(1).cause()).isEqualTo(new HangupCause("16", "NORMAL_CLEARING", null));
		assertThat(events.get(1).key()).isEqualTo("api4com:channel-hangup:2ee13fa4-975c-499d-bbb8-5177ff418316");
		assertThat(Api4comFacts.recordingUrl(Json.parse(officialHangup())))
			.hasValue("https://listener.api4com.com/files/listen/2ee13fa4-975c-499d-bbb8-5177ff418316.mp3");
	}

	@Test
	void anUnansweredHangupWithoutRecordingIsJustTheEndWithItsOutcome() {
		var payload = officialHangup().replace("\"answeredAt\":\"2025-01-01 00:00:05\"", "\"answeredAt\":\"\"")
			.replace("NORMAL_CLEARING", "USER_BUSY")
			.replace("\"hangupCauseCode\":\"16\"", "\"hangupCauseCode\":\"17\"")
			.replaceAll("\"recordUrl\":\"[^\"]*\",", "");

		var events = Api4comFacts.fromWebhook(call, Json.parse(payload), NOW);

		assertThat(events).singleElement().satisfies(event -> {
			assertThat(event.type()).isEqualTo(Type.ENDED);
			assertThat(event.cause()).isEqualTo(new HangupCause("17", "USER_BUSY", CallOutcome.BUSY));
		});
		assertThat(Api4comFacts.recordingUrl(Json.parse(payload))).isEmpty();
	}

	@Test
	void theSameWebhookGivesTheSameKeysSoARedeliveryIsRecognised() {
		var first = Api4comFacts.fromWebhook(call, Json.parse(officialHangup()), NOW);
		var again = Api4comFacts.fromWebhook(call, Json.parse(officialHangup()), NOW.plusSeconds(30));
		assertThat(again).extracting(ProviderCallEvent::key).isEqualTo(first.stream().map(ProviderCallEvent::key).toList());
		assertThat(again).isEqualTo(first);
	}

	@Test
	void createAndAnswerAreRingingAndAnswerAndUnknownTypesGiveNothing() {
		var create = Api4comFacts.fromWebhook(call, Json.parse(officialHangup().replace("channel-hangup", "channel-create")),
				NOW);
		assertThat(create).singleElement().satisfies(event -> {
			assertThat(event.type()).isEqualTo(Type.RINGING);
			assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-01-01T03:00:00Z"));
		});
		var answer = Api4comFacts.fromWebhook(call, Json.parse(officialHangup().replace("channel-hangup", "channel-answer")),
				NOW);
		assertThat(answer).singleElement().satisfies(event -> {
			assertThat(event.type()).isEqualTo(Type.ANSWERED);
			assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-01-01T03:00:05Z"));
		});
		assertThat(Api4comFacts.fromWebhook(call, Json.parse(officialHangup().replace("channel-hangup", "channel-bridge")),
				NOW)).isEmpty();
	}

	@Test
	void theCallIsFoundFromMetadataGivenAsAnObjectOrAsAJsonString() {
		assertThat(Api4comFacts.voxdeskCall(Json.parse(officialHangup()))).isEqualTo(call);
		assertThat(Api4comFacts.voxdeskCall(Json.parse("{\"metadata\":\"{\\\"voxdeskCallId\\\":\\\"" + call + "\\\"}\"}")))
			.isEqualTo(call);
		assertThat(Api4comFacts.voxdeskCall(Json.parse("{\"metadata\":{\"gateway\":\"bitrix\",\"entityId\":456}}"))).isNull();
		assertThat(Api4comFacts.voxdeskCall(Json.parse("{\"metadata\":{\"voxdeskCallId\":\"not-a-uuid\"}}"))).isNull();
	}

	@Test
	void freeSwitchCausesMeanTheOutcomesVoxdeskKnows() {
		assertThat(HangupCauses.outcome("NORMAL_CLEARING")).isNull();
		assertThat(HangupCauses.outcome("USER_BUSY")).isEqualTo(CallOutcome.BUSY);
		assertThat(HangupCauses.outcome("CALL_REJECTED")).isEqualTo(CallOutcome.BUSY);
		assertThat(HangupCauses.outcome("NO_ANSWER")).isEqualTo(CallOutcome.NO_ANSWER);
		assertThat(HangupCauses.outcome("NO_USER_RESPONSE")).isEqualTo(CallOutcome.NO_ANSWER);
		assertThat(HangupCauses.outcome("ORIGINATOR_CANCEL")).isEqualTo(CallOutcome.CANCELLED);
		for (var failed : new String[] { "UNALLOCATED_NUMBER", "INVALID_NUMBER_FORMAT", "NUMBER_CHANGED",
				"NORMAL_TEMPORARY_FAILURE", "RECOVERY_ON_TIMER_EXPIRE" }) {
			assertThat(HangupCauses.outcome(failed)).as(failed).isEqualTo(CallOutcome.FAILED);
		}
		// The call records give names only: the Q.850 number is looked up.
		assertThat(HangupCauses.of(null, "NUMBER_CHANGED")).isEqualTo(new HangupCause("22", "NUMBER_CHANGED",
				CallOutcome.FAILED));
		assertThat(HangupCauses.of("", "")).isNull();
	}

	@Test
	void aCallRecordWithADurationWasAnsweredThatLongBeforeItEnded() {
		var row = Api4comStubs.callRecord("1PkXhmBsYAvr9legLB2d7BimT0Q", call.toString(), "2026-05-14T10:00:44.000Z",
				"2026-05-14T10:01:50.000Z", 60, "NORMAL_CLEARING", "https://fs3.api4com.com/rec/1.mp3");

		var events = Api4comFacts.fromCallRecord(call, row);

		assertThat(events).extracting(ProviderCallEvent::type).containsExactly(Type.ANSWERED, Type.ENDED);
		assertThat(Api4comFacts.recordingUrl(row)).hasValue("https://fs3.api4com.com/rec/1.mp3");
		assertThat(events.get(0).occurredAt()).isEqualTo(Instant.parse("2026-05-14T13:00:50Z"));
		assertThat(events.get(1).occurredAt()).isEqualTo(Instant.parse("2026-05-14T13:01:50Z"));
		assertThat(events.get(1).cause()).isEqualTo(new HangupCause("16", "NORMAL_CLEARING", null));

		var unanswered = Api4comStubs.callRecord("x", call.toString(), "2026-05-14T10:00:44.000Z",
				"2026-05-14T10:01:14.000Z", 0, "NO_ANSWER", null);
		assertThat(Api4comFacts.fromCallRecord(call, unanswered)).singleElement()
			.satisfies(event -> assertThat(event.cause().outcome()).isEqualTo(CallOutcome.NO_ANSWER));
	}
}

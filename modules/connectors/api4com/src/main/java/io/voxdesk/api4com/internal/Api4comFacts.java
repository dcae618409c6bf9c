package io.voxdesk.api4com.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * Turns what API4COM reports, a webhook or a row of {@code GET /calls}, into the calls module's facts. API4COM
 * reports the click-to-call as one call whose events concern the customer's side; the agent's extension is rung
 * by API4COM itself and is not reported apart. Each fact's key names its source and API4COM's call id, so the same
 * webhook delivered again is recognised and changes nothing.
 */
final class Api4comFacts {

	/** The integration name Voxdesk registers and puts in every dialer request's metadata. */
	static final String GATEWAY = "voxdesk";

	static final String CREATE = "channel-create";

	static final String ANSWER = "channel-answer";

	static final String HANGUP = "channel-hangup";

	static final Set<String> EVENT_TYPES = Set.of(CREATE, ANSWER, HANGUP);

	private static final int MAX_ID = 150;

	private Api4comFacts() {
	}

	/** The Voxdesk call a payload or row is about, from the metadata Voxdesk gave the dialer. */
	static @Nullable CallId voxdeskCall(JsonNode payloadOrRow) {
		var id = Json.text(Json.object(payloadOrRow.path("metadata")), "voxdeskCallId");
		try {
			return id.isEmpty() ? null : CallId.parse(id);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** API4COM's id of the call; the same in webhooks and {@code GET /calls}, unlike the dialer's answer. */
	static String api4comId(JsonNode payloadOrRow) {
		var id = Json.text(payloadOrRow, "id");
		return id.length() > MAX_ID ? id.substring(0, MAX_ID) : id;
	}

	/**
	 * The facts of a webhook. A hangup carries the whole story: its {@code answeredAt} is applied as an answer
	 * (some extensions never send {@code channel-answer}, and that is how those calls still come out answered),
	 * and an {@code answeredAt} of {@code ""} means nobody answered.
	 *
	 * @param now when a timestamp is missing or unreadable: the webhook is sent as it happens.
	 */
	static List<ProviderCallEvent> fromWebhook(CallId call, JsonNode payload, Instant now) {
		var type = Json.text(payload, "eventType");
		var id = api4comId(payload);
		var reference = id.isEmpty() ? null : id;
		var key = "api4com:" + type + ":" + (id.isEmpty() ? call.toString() : id);
		var events = new ArrayList<ProviderCallEvent>();
		switch (type) {
			case CREATE -> events.add(new ProviderCallEvent(call, key, Type.RINGING, CallLeg.CUSTOMER,
					orElse(Api4comTime.parse(Json.text(payload, "startedAt")), now), reference, null, null));
			case ANSWER -> events.add(new ProviderCallEvent(call, key, Type.ANSWERED, CallLeg.CUSTOMER,
					orElse(Api4comTime.parse(Json.text(payload, "answeredAt")), now), reference, null, null));
			case HANGUP -> {
				var answered = Api4comTime.parse(Json.text(payload, "answeredAt"));
				if (answered != null) {
					events.add(new ProviderCallEvent(call, key + ":answered", Type.ANSWERED, CallLeg.CUSTOMER, answered,
							reference, null, null));
				}
				var ended = orElse(Api4comTime.parse(Json.text(payload, "endedAt")), now);
				events.add(new ProviderCallEvent(call, key, Type.ENDED, CallLeg.CUSTOMER, ended, reference,
						HangupCauses.of(Json.text(payload, "hangupCauseCode"), Json.text(payload, "hangupCause")), null));
			}
			default -> {
				// Unknown types are the caller's to ignore.
			}
		}
		return events;
	}

	/**
	 * The facts of a finished call in {@code GET /calls}. A row has no answer time: its {@code duration} is the
	 * talk time (the documented webhook example has {@code duration} = end − answer), so a call with a duration was
	 * answered that many seconds before it ended.
	 *
	 * @return nothing when the row has no end time (the call may still be going on).
	 */
	static List<ProviderCallEvent> fromCallRecord(CallId call, JsonNode row) {
		var ended = Api4comTime.parse(Json.text(row, "ended_at"));
		var id = api4comId(row);
		if (ended == null || id.isEmpty()) {
			return List.of();
		}
		var key = "api4com:calls:" + id;
		var events = new ArrayList<ProviderCallEvent>();
		var duration = Json.number(row.path("duration"), 0);
		if (duration > 0) {
			events.add(new ProviderCallEvent(call, key + ":answered", Type.ANSWERED, CallLeg.CUSTOMER,
					ended.minusSeconds(duration), id, null, null));
		}
		events.add(new ProviderCallEvent(call, key + ":ended", Type.ENDED, CallLeg.CUSTOMER, ended, id,
				HangupCauses.of(null, Json.text(row, "hangup_cause")), null));
		return events;
	}

	/**
	 * The recording link of a hangup webhook ({@code recordUrl}, missing from most) or of a call record
	 * ({@code record_url}); the audio is not Voxdesk's until {@link Api4comRecordings} has copied it.
	 */
	static Optional<String> recordingUrl(JsonNode payloadOrRow) {
		var url = Json.text(payloadOrRow, "recordUrl");
		if (url.isEmpty()) {
			url = Json.text(payloadOrRow, "record_url");
		}
		return url.startsWith("https://") || url.startsWith("http://") ? Optional.of(url) : Optional.empty();
	}

	private static Instant orElse(@Nullable Instant value, Instant fallback) {
		return value == null ? fallback : value;
	}
}

package io.voxdesk.calls.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TimelineAppend;
import io.voxdesk.tickets.TimelineEntryDraft;

import org.springframework.stereotype.Component;

/**
 * Puts calls on their ticket's timeline through the tickets API, in the transaction that changes the call: the
 * entry is committed with the change that caused it or not at all, and only the entries the change adds are
 * appended. Each entry has an idempotency key, so a change applied again leaves it once. The entries of a
 * transaction are collected and appended together, so a batch of events costs one lock and one key check.
 */
@Component
class CallTimeline {

	private final TicketManagement tickets;

	CallTimeline(TicketManagement tickets) {
		this.tickets = tickets;
	}

	/** The {@code call.started} entry of a click-to-call or an inbound call, added to {@code entries}. */
	void started(CallDetails call, List<TimelineAppend> entries) {
		var ticket = call.ticket();
		if (ticket == null) {
			return;
		}
		var data = new LinkedHashMap<String, Object>();
		data.put("callId", call.id().toString());
		data.put("number", call.number());
		data.put("direction", call.direction());
		var agent = call.agent();
		if (agent != null) {
			data.put("agentId", agent.value());
		}
		String text;
		if (call.inbound()) {
			var from = call.number().isEmpty() ? "a withheld number" : call.number();
			text = "Call from " + from + (call.dialled() == null ? "" : " to " + call.dialled())
					+ (call.campaign() == null ? "" : ", handed over by campaign \"" + call.campaign() + "\"");
			if (call.campaign() != null) {
				data.put("campaign", call.campaign());
			}
			if (call.dialled() != null) {
				data.put("dialled", call.dialled());
			}
			if (call.queue() != null) {
				data.put("queueId", call.queue().toString());
			}
		}
		else {
			text = call.agentName() + " called " + call.number();
		}
		entries.add(new TimelineAppend(ticket, new TimelineEntryDraft("call.started", text, data,
				"call:" + call.id() + ":started", call.requestedAt())));
	}

	/** Appends the entries collected for one transaction, with one lock and one key check for all of them. */
	void append(List<TimelineAppend> entries) {
		tickets.appendAll(entries);
	}

	/** The entries a provider event added, added to {@code entries}: the answer, the ending (or its correction), the recording. */
	void changed(CallDetails call, CallRecord.Change change, List<TimelineAppend> entries) {
		var ticket = call.ticket();
		if (ticket == null) {
			return;
		}
		var id = call.id();
		if (change.answered() && call.answeredAt() != null) {
			entries.add(new TimelineAppend(ticket, answered(call, call.answeredAt())));
		}
		if ((change.ended() || change.endingCorrected()) && call.endedAt() != null && call.outcome() != null) {
			entries.add(new TimelineAppend(ticket, call.status() == CallStatus.MISSED ? missed(call) : ended(call)));
		}
		if (change.recorded()) {
			entries.add(new TimelineAppend(ticket, new TimelineEntryDraft("call.recording", "Recording available",
					Map.of("callId", id.toString(), "recording", "/api/calls/" + id + "/recording"),
					"call:" + id + ":recording", call.endedAt() != null ? call.endedAt() : call.requestedAt())));
		}
	}

	/** Each saved note is its own entry, written by the agent who saved it. */
	void noted(CallDetails call, Actor actor, Instant at) {
		var ticket = call.ticket();
		if (ticket == null) {
			return;
		}
		var data = new LinkedHashMap<String, Object>();
		data.put("callId", call.id().toString());
		data.put("note", call.note() == null ? "" : call.note());
		data.put("disposition", call.disposition() == null ? "" : call.disposition());
		data.put("by", actor.username());
		var summary = actor.username() + " noted the call"
				+ (call.disposition() == null ? "" : " (" + call.disposition() + ")")
				+ (call.note() == null ? "" : ": " + abbreviated(call.note()));
		tickets.append(ticket, new TimelineEntryDraft("call.note", summary, data,
				"call:" + call.id() + ":note:" + at.toEpochMilli(), at));
	}

	private static String abbreviated(String text) {
		return text.length() <= 200 ? text : text.substring(0, 199) + "…";
	}

	/** An inbound call says who took it and after how long the caller waited. */
	private static TimelineEntryDraft answered(CallDetails call, Instant at) {
		var data = new LinkedHashMap<String, Object>();
		data.put("callId", call.id().toString());
		var summary = "Call answered";
		if (call.inbound() && call.agent() != null) {
			var waited = Math.max(0, Duration.between(call.requestedAt(), at).toSeconds());
			data.put("agentId", call.agent().value());
			data.put("waitSeconds", waited);
			summary = "Call answered by " + call.agentName() + " after " + duration(waited);
		}
		return new TimelineEntryDraft("call.answered", summary, data, "call:" + call.id() + ":answered", at);
	}

	/** An inbound call nobody took: whether the caller gave up or was let go, and how long they waited. */
	private static TimelineEntryDraft missed(CallDetails call) {
		var waited = Math.max(0, Duration.between(call.requestedAt(), call.endedAt()).toSeconds());
		var data = new LinkedHashMap<String, Object>();
		data.put("callId", call.id().toString());
		data.put("outcome", call.outcome().code());
		data.put("waitSeconds", waited);
		var summary = call.outcome() == CallOutcome.ABANDONED
				? "Missed call: the caller hung up after waiting " + duration(waited)
				: "Missed call: nobody answered in " + duration(waited);
		return new TimelineEntryDraft("call.missed", summary, data, "call:" + call.id() + ":missed", call.endedAt());
	}

	private static TimelineEntryDraft ended(CallDetails call) {
		var data = new LinkedHashMap<String, Object>();
		data.put("callId", call.id().toString());
		data.put("status", call.status().code());
		data.put("outcome", call.outcome().code());
		data.put("talkSeconds", call.talkSeconds());
		if (call.hangupCause() != null) {
			data.put("hangupCause", call.hangupCause());
		}
		if (call.failureReason() != null) {
			data.put("failureReason", call.failureReason());
		}
		if (call.endingEstimated()) {
			data.put("endingEstimated", true);
		}
		// Keyed by outcome: a late event that changes how the call ended is a second fact worth showing.
		return new TimelineEntryDraft("call.ended", summary(call), data,
				"call:" + call.id() + ":ended:" + call.outcome().code(), call.endedAt());
	}

	static String summary(CallDetails call) {
		var prefix = call.endingRevised() ? "Call ending corrected: " : "Call ended: ";
		if (call.outcome() == CallOutcome.ANSWERED) {
			return prefix + "talked " + duration(call.talkSeconds());
		}
		var text = switch (call.outcome()) {
			case BUSY -> "busy";
			case NO_ANSWER -> "no answer";
			case CANCELLED -> "cancelled";
			case ABANDONED -> "the caller hung up before anyone answered";
			case NOT_CONFIGURED -> "not configured";
			case null, default -> "failed";
		};
		var why = call.failureReason() != null ? call.failureReason() : call.hangupCause();
		return prefix + text + (why == null ? "" : " (" + why + ")");
	}

	static String duration(long seconds) {
		var d = Duration.ofSeconds(seconds);
		return d.toMinutes() == 0 ? seconds + " s" : d.toMinutes() + " min " + d.toSecondsPart() + " s";
	}
}

package io.voxdesk.calls.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.voxdesk.calls.CallAnswered;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallNoted;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStarted;
import io.voxdesk.calls.RecordingAvailable;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TimelineEntryDraft;
import io.voxdesk.tickets.Viewer;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Puts calls on their ticket's timeline through the tickets API. Whatever call event arrives, the call's entries
 * are brought up to date from its record in a fixed order (started, answered, ended), each with an idempotency
 * key: events handled concurrently or delivered again still leave each entry once, in order.
 */
// Not @ApplicationModuleListener: its transaction would hold a connection while TenantContext opens the
// tenant's own, two connections per event, which under load starves the pool. The event registry still tracks
// these transactional listeners and republishes what they did not finish.
@Component
class CallTimeline {

	private final TicketManagement tickets;

	private final CallWorkflow calls;

	private final TenantContext context;

	CallTimeline(TicketManagement tickets, CallWorkflow calls, TenantContext context) {
		this.tickets = tickets;
		this.calls = calls;
		this.context = context;
	}

	@Async
	@TransactionalEventListener
	void on(CallStarted event) {
		sync(event.tenantId(), event.callId());
	}

	@Async
	@TransactionalEventListener
	void on(CallAnswered event) {
		sync(event.tenantId(), event.callId());
	}

	@Async
	@TransactionalEventListener
	void on(CallEnded event) {
		sync(event.tenantId(), event.callId());
	}

	@Async
	@TransactionalEventListener
	void on(RecordingAvailable event) {
		sync(event.tenantId(), event.callId());
	}

	/** Each saved note is its own entry, written by the agent who saved it. */
	@Async
	@TransactionalEventListener
	void on(CallNoted event) {
		context.runAs(event.tenantId(), () -> calls.find(event.callId(), Viewer.SYSTEM).ifPresent(call -> {
			if (call.ticket() == null) {
				return;
			}
			var data = new LinkedHashMap<String, Object>();
			data.put("callId", call.id().toString());
			data.put("note", call.note() == null ? "" : call.note());
			data.put("disposition", call.disposition() == null ? "" : call.disposition());
			data.put("by", event.actor().username());
			var summary = event.actor().username() + " noted the call"
					+ (call.disposition() == null ? "" : " (" + call.disposition() + ")")
					+ (call.note() == null ? "" : ": " + abbreviated(call.note()));
			append(call.ticket(), new TimelineEntryDraft("call.note", summary, data,
					"call:" + call.id() + ":note:" + event.occurredAt().toEpochMilli(), event.occurredAt()));
		}));
	}

	private static String abbreviated(String text) {
		return text.length() <= 200 ? text : text.substring(0, 199) + "…";
	}

	private void sync(TenantId tenant, CallId id) {
		context.runAs(tenant, () -> calls.find(id, Viewer.SYSTEM).ifPresent(call -> {
			var ticket = call.ticket();
			if (ticket == null) {
				return;
			}
			started(ticket, call);
			if (call.answeredAt() != null) {
				append(ticket, new TimelineEntryDraft("call.answered", "Call answered", Map.of("callId", id.toString()),
						"call:" + id + ":answered", call.answeredAt()));
			}
			if (call.endedAt() != null && call.outcome() != null) {
				ended(ticket, call);
			}
			if (call.recorded()) {
				append(ticket, new TimelineEntryDraft("call.recording", "Recording available",
						Map.of("callId", id.toString(), "recording", "/api/calls/" + id + "/recording"),
						"call:" + id + ":recording", call.endedAt() != null ? call.endedAt() : call.requestedAt()));
			}
		}));
	}

	private void started(TicketId ticket, CallDetails call) {
		var data = new LinkedHashMap<String, Object>();
		data.put("callId", call.id().toString());
		data.put("number", call.number());
		data.put("agentId", call.agent().value());
		append(ticket, new TimelineEntryDraft("call.started", call.agentName() + " called " + call.number(), data,
				"call:" + call.id() + ":started", call.requestedAt()));
	}

	private void ended(TicketId ticket, CallDetails call) {
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
		// Keyed by outcome: a late event that changes how the call ended is a second fact worth showing.
		append(ticket, new TimelineEntryDraft("call.ended", summary(call), data,
				"call:" + call.id() + ":ended:" + call.outcome().code(), call.endedAt()));
	}

	private void append(TicketId ticket, TimelineEntryDraft draft) {
		tickets.append(ticket, draft);
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

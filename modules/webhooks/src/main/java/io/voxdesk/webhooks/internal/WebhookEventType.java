package io.voxdesk.webhooks.internal;

import java.util.Arrays;
import java.util.Optional;

/** The event types an endpoint can subscribe to: the catalogue of what Voxdesk tells a host, version 1 of each. */
enum WebhookEventType {

	CALL_STARTED("call.started", "An agent placed a call (click-to-call)."),
	CALL_ANSWERED("call.answered", "The called party answered."),
	CALL_ENDED("call.ended", "A call ended: outcome, durations, cause; sent again with corrected: true if the end "
			+ "was revised."),
	CALL_MISSED("call.missed", "An incoming call ended unanswered (abandoned or not answered)."),
	CALL_RECORDING_AVAILABLE("call.recording_available", "A call's recording is stored: a short-lived signed link to "
			+ "download it (never the provider's URL)."),
	CALL_NOTE("call.note", "An agent wrote a note or disposition on a call."),
	CALLBACK_CREATED("callback.created", "A missed incoming call left a callback task."),
	TICKET_CREATED("ticket.created", "A ticket was opened."),
	TICKET_CLOSED("ticket.closed", "A ticket was closed."),
	CONTACT_CREATED("contact.created", "A contact was created (by hand or from a caller's number)."),
	CONTACT_IMPORT_FINISHED("contact_import.finished", "A contact import completed."),
	CAMPAIGN_FINISHED("campaign.finished", "A voice campaign completed or was cancelled."),
	TEST("webhook.test", "Sent on request from the endpoint's \"send a test event\"; always delivered, whatever the "
			+ "endpoint subscribed to.");

	static final int VERSION = 1;

	private final String code;

	private final String description;

	WebhookEventType(String code, String description) {
		this.code = code;
		this.description = description;
	}

	String code() {
		return code;
	}

	String description() {
		return description;
	}

	static Optional<WebhookEventType> of(String code) {
		return Arrays.stream(values()).filter(type -> type.code.equals(code)).findFirst();
	}
}

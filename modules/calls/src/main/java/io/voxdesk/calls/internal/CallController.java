package io.voxdesk.calls.internal;

import java.io.IOException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallNotFoundException;
import io.voxdesk.calls.TransferMode;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.DoNotCallList;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketId;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST API of calls: click-to-call from a ticket, a contact or a bare number, the call's state, hanging up, and a
 * ticket's calls. A click-to-call answers 202 at once; the call's progress shows in its state.
 */
@RestController
@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
class CallController {

	private final CallManagement calls;

	private final DoNotCallList doNotCall;

	CallController(CallManagement calls, DoNotCallList doNotCall) {
		this.doNotCall = doNotCall;
		this.calls = calls;
	}

	/** A number to call, and optionally what the call is about. */
	@Schema(example = """
			{"number": "(48) 3332-8530", "ticketId": "0f8a6b1e-3d5c-4b8e-9f6a-2c1d7e9b4a10"}""")
	record CallRequest(
			@Schema(example = "(48) 3332-8530", description = "Any common spelling; national numbers are read in the tenant's region")
			@NotBlank @Size(max = 40) String number,
			@Schema(description = "The ticket whose timeline will show the call") @Nullable UUID ticketId,
			@Schema(description = "The contact called, when not the ticket's") @Nullable UUID contactId) {
	}

	/** A number to call from a ticket or contact page. */
	@Schema(example = """
			{"number": "+55 48 3332-8530"}""")
	record NumberToCall(@Schema(example = "+55 48 3332-8530") @NotBlank @Size(max = 40) String number) {
	}

	@Operation(summary = "Click-to-call: rings your extension, then the number")
	@PostMapping("/api/calls")
	ResponseEntity<StartedCall> call(@Valid @RequestBody CallRequest request) {
		return started(request.number(), request.ticketId() == null ? null : TicketId.of(request.ticketId()),
				request.contactId() == null ? null : ContactId.of(request.contactId()));
	}

	@Operation(summary = "Click-to-call from a ticket: the call appears on its timeline")
	@PostMapping("/api/tickets/{ticketId}/calls")
	ResponseEntity<StartedCall> callFromTicket(@PathVariable UUID ticketId, @Valid @RequestBody NumberToCall request) {
		return started(request.number(), TicketId.of(ticketId), null);
	}

	@Operation(summary = "Click-to-call from a contact")
	@PostMapping("/api/contacts/{contactId}/calls")
	ResponseEntity<StartedCall> callFromContact(@PathVariable UUID contactId, @Valid @RequestBody NumberToCall request) {
		return started(request.number(), null, ContactId.of(contactId));
	}

	/**
	 * A click-to-call as placed, and what the agent should know about it.
	 *
	 * @param warning set when the number is on the tenant's do-not-call list: the call is still placed (the agent
	 *     chose to call), but the agent is told, and can hang up.
	 */
	record StartedCall(@JsonUnwrapped CallDetails call, @Nullable String warning) {
	}

	private ResponseEntity<StartedCall> started(String number, @Nullable TicketId ticket, @Nullable ContactId contact) {
		var caller = CurrentUser.current();
		var call = calls.clickToCall(number, ticket, contact, caller.requireUser(), caller.displayName(), caller);
		var warning = doNotCall.find(call.number())
			.map(entry -> call.number() + " is on your organization's do-not-call list (" + entry.source().value()
					+ ", since " + entry.addedAt().truncatedTo(ChronoUnit.SECONDS) + "): the call is being placed; "
					+ "hang up if the person should not be called.")
			.orElse(null);
		return ResponseEntity.accepted().location(URI.create("/api/calls/" + call.id())).body(new StartedCall(call, warning));
	}

	@GetMapping("/api/calls/{id}")
	CallDetails find(@PathVariable UUID id) {
		return calls.find(CallId.of(id), CurrentUser.current())
			.orElseThrow(() -> new CallNotFoundException(CallId.of(id)));
	}

	@Operation(summary = "The call's recording (audio/wav or audio/mpeg), with HTTP Range support; each playback is audited")
	@GetMapping("/api/calls/{id}/recording")
	ResponseEntity<Resource> recording(@PathVariable UUID id, @RequestHeader HttpHeaders headers) throws IOException {
		var call = CallId.of(id);
		var recording = calls.recording(call, CurrentUser.current(), false)
			.orElseThrow(() -> new RecordingNotFound(call));
		return RecordingDownloads.send(call, recording, headers, null, calls::recordingServed);
	}

	/** The call does not exist for the caller, or has no stored recording. */
	static class RecordingNotFound extends ErrorResponseException {

		RecordingNotFound(CallId id) {
			super(HttpStatus.NOT_FOUND, problem(id), null);
		}

		private static ProblemDetail problem(CallId id) {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "Call " + id + " has no recording you can play.");
			problem.setTitle("Recording not found");
			return problem;
		}
	}

	@Operation(summary = "Your latest hundred calls, newest first")
	@GetMapping("/api/calls")
	List<CallDetails> mine() {
		return calls.recentOf(CurrentUser.current().requireUser());
	}

	@Operation(summary = "Hangs up every leg; an unanswered call ends as cancelled")
	@PostMapping("/api/calls/{id}/hangup")
	CallDetails hangUp(@PathVariable UUID id) {
		return calls.hangUp(CallId.of(id), CurrentUser.current());
	}

	/** Digits to send during a call. */
	@Schema(example = """
			{"digits": "1#"}""")
	record Dtmf(@NotBlank @Pattern(regexp = "[0-9*#A-D]{1,32}", message = "must be 1 to 32 of 0-9, *, #, A-D") String digits) {
	}

	/** Where to send the customer (an extension or number, or a queue), and how. */
	@Schema(example = """
			{"destination": "1002", "mode": "attended"}""")
	record Transfer(@Nullable @Schema(description = "an extension or a number; or leave it out and give queueId")
			@Pattern(regexp = "\\+?[0-9]{2,20}", message = "must be an extension or a number, digits only")
			String destination,
			@Nullable @Schema(description = "a queue: the customer waits there like an inbound caller, and your call "
					+ "ends as transferred") UUID queueId,
			@Nullable @Schema(description = "blind (the default): the customer is handed over when the target answers; "
					+ "attended: you talk to the target first, then complete or cancel", allowableValues = { "blind",
							"attended" }) @Pattern(regexp = "blind|attended", message = "must be blind or attended") String mode) {

		TransferMode transferMode() {
			return "attended".equals(mode) ? TransferMode.ATTENDED : TransferMode.BLIND;
		}
	}

	@Operation(summary = "Puts the customer on hold")
	@PostMapping("/api/calls/{id}/hold")
	CallDetails hold(@PathVariable UUID id) {
		return calls.hold(CallId.of(id), CurrentUser.current());
	}

	@Operation(summary = "Takes the customer off hold")
	@PostMapping("/api/calls/{id}/resume")
	CallDetails resume(@PathVariable UUID id) {
		return calls.resume(CallId.of(id), CurrentUser.current());
	}

	@Operation(summary = "Sends DTMF digits to the customer")
	@PostMapping("/api/calls/{id}/dtmf")
	CallDetails dtmf(@PathVariable UUID id, @Valid @RequestBody Dtmf request) {
		return calls.sendDtmf(CallId.of(id), request.digits(), CurrentUser.current());
	}

	@Operation(summary = "Transfers the customer: rings the destination, and hands the customer over when it answers "
			+ "(blind) or after you spoke to it and completed the transfer (attended); the call's transfer says how it "
			+ "went, and a busy or unanswered destination leaves the customer with you; with queueId the customer "
			+ "joins the queue like an inbound caller at once and your call ends as transferred")
	@PostMapping("/api/calls/{id}/transfer")
	CallDetails transfer(@PathVariable UUID id, @Valid @RequestBody Transfer request) {
		var destination = request.destination();
		var queue = request.queueId();
		if ((destination == null || destination.isBlank()) == (queue == null)) {
			throw InvalidField.problem("Invalid transfer", "destination", "Give either a destination (an extension "
					+ "or a number) or a queueId, not both.");
		}
		if (queue != null) {
			if ("attended".equals(request.mode())) {
				throw InvalidField.problem("Invalid transfer", "mode", "A transfer to a queue is blind: the customer "
						+ "waits for the queue's next agent, so there is nobody to talk to first.");
			}
			return calls.transferToQueue(CallId.of(id), QueueId.of(queue), CurrentUser.current());
		}
		return calls.transfer(CallId.of(id), request.transferMode(), destination, CurrentUser.current());
	}

	@Operation(summary = "Completes an attended transfer whose destination answered: the customer goes to it and your "
			+ "leg ends")
	@PostMapping("/api/calls/{id}/transfer/complete")
	CallDetails completeTransfer(@PathVariable UUID id) {
		return calls.completeTransfer(CallId.of(id), CurrentUser.current());
	}

	@Operation(summary = "Cancels the transfer in progress: the destination is hung up and the customer is back with "
			+ "you")
	@PostMapping("/api/calls/{id}/transfer/cancel")
	CallDetails cancelTransfer(@PathVariable UUID id) {
		return calls.cancelTransfer(CallId.of(id), CurrentUser.current());
	}

	/** What the agent writes after a call. */
	@Schema(example = """
			{"note": "Customer will pay on Friday; call back Monday.", "disposition": "callback"}""")
	record CallNote(@Nullable @Size(max = 2000) String note,
			@Nullable @Pattern(regexp = "[a-z0-9_-]{1,50}",
					message = "must be 1 to 50 lowercase letters, digits, '_' or '-'") String disposition) {
	}

	@Operation(summary = "Saves your note and disposition for the call; they appear on the ticket's timeline")
	@PutMapping("/api/calls/{id}/note")
	CallDetails note(@PathVariable UUID id, @Valid @RequestBody CallNote request) {
		return calls.annotate(CallId.of(id), blankToNull(request.note()), request.disposition(),
				CurrentUser.current());
	}

	private static @Nullable String blankToNull(@Nullable String text) {
		return text == null || text.isBlank() ? null : text.strip();
	}

	@Operation(summary = "The ticket's calls, newest first")
	@GetMapping("/api/tickets/{ticketId}/calls")
	List<CallDetails> ofTicket(@PathVariable UUID ticketId) {
		return calls.forTicket(TicketId.of(ticketId), CurrentUser.current());
	}
}

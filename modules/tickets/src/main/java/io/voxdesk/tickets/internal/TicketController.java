package io.voxdesk.tickets.internal;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.ClosedTicketPolicy;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketDetails;
import io.voxdesk.tickets.TicketDraft;
import io.voxdesk.tickets.TicketFilter;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TicketNotFoundException;
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TicketStatus;
import io.voxdesk.tickets.TimelineEntry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST API of tickets: agents work the tickets of their queues and their own, tenant admins every ticket of the
 * tenant. Every action answers with the ticket and appends to its timeline.
 */
@RestController
@RequestMapping("/api/tickets")
@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
class TicketController {

	private final TicketManagement tickets;

	TicketController(TicketManagement tickets) {
		this.tickets = tickets;
	}

	@PostMapping
	ResponseEntity<TicketDetails> create(@Valid @RequestBody CreateTicket request) {
		var created = tickets.create(request.toDraft(), CurrentUser.current());
		return ResponseEntity.created(URI.create("/api/tickets/" + created.id())).body(created);
	}

	/** Tickets the caller may see, filtered by status, queue, assignee and contact; newest activity first. */
	@GetMapping
	PagedModel<TicketDetails> list(@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable UUID queueId,
			@RequestParam(required = false) @Nullable @Size(max = 64) String assigneeId,
			@RequestParam(required = false) @Nullable UUID contactId,
			@PageableDefault(size = 50, sort = "updatedAt", direction = Sort.Direction.DESC) Pageable page) {
		var filter = new TicketFilter(status == null ? null : TicketStatus.fromCode(status), queueId == null ? null : QueueId.of(queueId),
				assigneeId == null ? null : userId("assigneeId", assigneeId),
				contactId == null ? null : ContactId.of(contactId));
		return new PagedModel<>(tickets.list(filter, CurrentUser.current(), page));
	}

	@GetMapping("/{id}")
	TicketDetails get(@PathVariable UUID id) {
		return tickets.find(TicketId.of(id), CurrentUser.current())
			.orElseThrow(() -> new TicketNotFoundException("There is no ticket " + id + " you can see in your tenant."));
	}

	/** The caller takes the ticket. */
	@PostMapping("/{id}/accept")
	TicketDetails accept(@PathVariable UUID id) {
		return tickets.accept(TicketId.of(id), CurrentUser.current());
	}

	/** A tenant admin gives the ticket to a member of the tenant. */
	@PostMapping("/{id}/assign")
	@PreAuthorize("hasRole('tenant-admin')")
	TicketDetails assign(@PathVariable UUID id, @Valid @RequestBody Assign request) {
		return tickets.assign(TicketId.of(id), userId("assigneeId", request.assigneeId()), CurrentUser.current());
	}

	@PostMapping("/{id}/transfer")
	TicketDetails transfer(@PathVariable UUID id, @Valid @RequestBody TicketTransfer request) {
		return tickets.transfer(TicketId.of(id), request.queueId() == null ? null : QueueId.of(request.queueId()),
				request.assigneeId() == null ? null : userId("assigneeId", request.assigneeId()), request.note(),
				CurrentUser.current());
	}

	@PostMapping("/{id}/close")
	TicketDetails close(@PathVariable UUID id, @Valid @RequestBody(required = false) @Nullable Close request) {
		return tickets.close(TicketId.of(id), request == null ? null : request.note(), CurrentUser.current());
	}

	@PostMapping("/{id}/reopen")
	TicketDetails reopen(@PathVariable UUID id) {
		return tickets.reopen(TicketId.of(id), CurrentUser.current());
	}

	@PostMapping("/{id}/notes")
	ResponseEntity<TimelineEntry> addNote(@PathVariable UUID id, @Valid @RequestBody Note request) {
		var entry = tickets.addNote(TicketId.of(id), request.text(), CurrentUser.current());
		return ResponseEntity.created(URI.create("/api/tickets/" + id + "/timeline?after=" + (entry.sequence() - 1)))
			.body(entry);
	}

	/** The ticket's timeline in order; page through it with {@code after} (the last sequence seen). */
	@GetMapping("/{id}/timeline")
	List<TimelineEntry> timeline(@PathVariable UUID id, @RequestParam(defaultValue = "0") @Min(0) long after,
			@RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
		return tickets.timeline(TicketId.of(id), after, limit, CurrentUser.current());
	}

	@GetMapping("/policy")
	PolicyDocument policy() {
		return new PolicyDocument(tickets.closedTicketPolicy().code());
	}

	/** A tenant admin chooses whether a customer's new call reopens their latest closed ticket or opens a new one. */
	@PutMapping("/policy")
	@PreAuthorize("hasRole('tenant-admin')")
	PolicyDocument changePolicy(@Valid @RequestBody PolicyDocument request) {
		return new PolicyDocument(tickets.changeClosedTicketPolicy(ClosedTicketPolicy.fromCode(request.whenLastClosed())).code());
	}

	private static UserId userId(String field, String value) {
		if (!UserId.isValid(value)) {
			throw TicketProblems.badRequest("Invalid user id", "'" + value + "' in " + field
					+ " is not a user id; use the userId from /api/tenants/me/members.");
		}
		return UserId.of(value);
	}

	/** A new ticket. */
	@Schema(example = """
			{"subject": "Invoice 2024-117 charged twice", "priority": "high",
			 "contactId": "0b6f3c52-8a1e-4a52-9c1e-2f0c5d1c7e11", "queueId": "5d1f6a1e-3c2b-4e4f-8a9b-0c1d2e3f4a5b",
			 "note": "Customer called from her mobile; wants a refund."}""")
	record CreateTicket(@NotBlank @Size(max = 200) String subject, @Nullable TicketPriority priority,
			@Nullable UUID contactId, @Nullable UUID queueId, @Nullable @Size(max = 64) String assigneeId,
			@Nullable @Size(max = 10000) String note) {

		TicketDraft toDraft() {
			return new TicketDraft(subject, priority == null ? TicketPriority.NORMAL : priority,
					contactId == null ? null : ContactId.of(contactId), queueId == null ? null : QueueId.of(queueId),
					assigneeId == null ? null : userId("assigneeId", assigneeId), note);
		}
	}

	/** Whom a tenant admin gives the ticket to. */
	@Schema(example = """
			{"assigneeId": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}""")
	record Assign(@NotBlank @Size(max = 64) String assigneeId) {
	}

	/** Where the ticket goes: a queue, an agent or both. */
	@Schema(example = """
			{"queueId": "5d1f6a1e-3c2b-4e4f-8a9b-0c1d2e3f4a5b", "note": "Billing handles refunds."}""")
	record TicketTransfer(@Nullable UUID queueId, @Nullable @Size(max = 64) String assigneeId,
			@Nullable @Size(max = 10000) String note) {
	}

	/** An optional closing note. */
	@Schema(example = """
			{"note": "Refund issued; customer confirmed by phone."}""")
	record Close(@Nullable @Size(max = 10000) String note) {
	}

	/** A note for the timeline. */
	@Schema(example = """
			{"text": "Called back, no answer. Will try again tomorrow morning."}""")
	record Note(@NotBlank @Size(max = 10000) String text) {
	}

	/** The tenant's closed-ticket policy: {@code reopen} (default) or {@code create-new}. */
	@Schema(example = """
			{"whenLastClosed": "create-new"}""")
	record PolicyDocument(@NotNull @Pattern(regexp = "reopen|create-new",
			message = "must be reopen or create-new") String whenLastClosed) {
	}
}

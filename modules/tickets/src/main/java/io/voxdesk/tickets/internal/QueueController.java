package io.voxdesk.tickets.internal;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;
import io.voxdesk.tickets.QueueNotFoundException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST API of queues (departments): everyone in the tenant reads them, tenant admins manage them. */
@RestController
@RequestMapping("/api/queues")
@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
class QueueController {

	private final QueueManagement queues;

	QueueController(QueueManagement queues) {
		this.queues = queues;
	}

	@GetMapping
	List<QueueDetails> list() {
		return queues.list();
	}

	@GetMapping("/{id}")
	QueueDetails get(@PathVariable UUID id) {
		return queues.find(QueueId.of(id))
			.orElseThrow(() -> new QueueNotFoundException("There is no queue " + id + " in your tenant."));
	}

	@PostMapping
	@PreAuthorize("hasRole('tenant-admin')")
	ResponseEntity<QueueDetails> create(@Valid @RequestBody QueueRequest request) {
		var created = queues.create(request.name(), request.members());
		return ResponseEntity.created(URI.create("/api/queues/" + created.id())).body(created);
	}

	/** Renames the queue and replaces its members. */
	@PutMapping("/{id}")
	@PreAuthorize("hasRole('tenant-admin')")
	QueueDetails change(@PathVariable UUID id, @Valid @RequestBody QueueRequest request) {
		return queues.change(QueueId.of(id), request.name(), request.members());
	}

	@DeleteMapping("/{id}")
	@PreAuthorize("hasRole('tenant-admin')")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		queues.delete(QueueId.of(id));
		return ResponseEntity.noContent().build();
	}

	/** A queue's name and member agents (user ids from {@code /api/tenants/me/members}). */
	@Schema(example = """
			{"name": "Billing", "memberIds": ["7c9e6679-7425-40de-944b-e07fc1f90ae7"]}""")
	record QueueRequest(@NotBlank @Size(max = 100) String name,
			@Nullable @Size(max = 500) List<@NotBlank @Size(max = 64) @jakarta.validation.constraints.Pattern(
					regexp = "[A-Za-z0-9._:@-]{1,64}", message = "must be a user id from /api/tenants/me/members") String> memberIds) {

		List<UserId> members() {
			return memberIds == null ? List.of() : memberIds.stream().map(UserId::of).toList();
		}
	}
}

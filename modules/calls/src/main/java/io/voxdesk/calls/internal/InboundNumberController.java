package io.voxdesk.calls.internal;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.calls.InboundNumberDetails;
import io.voxdesk.calls.InboundNumberDraft;
import io.voxdesk.calls.InboundNumberId;
import io.voxdesk.calls.InboundNumberManagement;
import io.voxdesk.calls.InboundNumberNotFoundException;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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

/** REST API of the numbers that reach the tenant and where their calls go, for tenant admins. */
@RestController
@RequestMapping("/api/inbound-numbers")
@PreAuthorize("hasRole('tenant-admin')")
class InboundNumberController {

	private final InboundNumberManagement numbers;

	InboundNumberController(InboundNumberManagement numbers) {
		this.numbers = numbers;
	}

	/** A number as an admin routes it: to a queue or to one user. */
	@Schema(example = """
			{"connectionId": "0b9f4a52-2d0c-4a43-9b3e-0f7c5d0c1a11", "number": "+55 48 3332-8530",
			 "queueId": "5e2b7f0e-8f43-4c1b-a0d4-3f9c2b6d7e88"}""")
	record InboundNumberRequest(@NotNull UUID connectionId,
			@Schema(example = "+55 48 3332-8530") @NotBlank @Size(max = 40) String number,
			@Schema(description = "the ticket queue its calls go to; or give userId") @Nullable UUID queueId,
			@Schema(description = "the one user its calls go to; or give queueId") @Nullable @Size(max = 64) String userId) {

		InboundNumberDraft toDraft() {
			return new InboundNumberDraft(ProviderConnectionId.of(connectionId), number,
					queueId == null ? null : QueueId.of(queueId), userId == null || userId.isBlank() ? null : UserId.of(userId));
		}
	}

	@GetMapping
	List<InboundNumberDetails> list() {
		return numbers.list();
	}

	@GetMapping("/{id}")
	InboundNumberDetails find(@PathVariable UUID id) {
		return numbers.find(InboundNumberId.of(id))
			.orElseThrow(() -> new InboundNumberNotFoundException(InboundNumberId.of(id)));
	}

	@Operation(summary = "Routes a number that reaches the tenant to a queue or to one user")
	@PostMapping
	ResponseEntity<InboundNumberDetails> create(@Valid @RequestBody InboundNumberRequest request) {
		var created = numbers.create(request.toDraft());
		return ResponseEntity.created(URI.create("/api/inbound-numbers/" + created.id().value())).body(created);
	}

	@PutMapping("/{id}")
	InboundNumberDetails update(@PathVariable UUID id, @Valid @RequestBody InboundNumberRequest request) {
		return numbers.update(InboundNumberId.of(id), request.toDraft());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		numbers.delete(InboundNumberId.of(id));
		return ResponseEntity.noContent().build();
	}
}

package io.voxdesk.calls.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.calls.InboundNumberManagement;
import io.voxdesk.calls.InboundPolicy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST API of what inbound calls create in the tenant (contacts, tickets), for tenant admins. */
@RestController
@RequestMapping("/api/inbound-policy")
@PreAuthorize("hasRole('tenant-admin')")
class InboundPolicyController {

	private final InboundNumberManagement numbers;

	InboundPolicyController(InboundNumberManagement numbers) {
		this.numbers = numbers;
	}

	/** The policy as an admin sets it. */
	@Schema(example = """
			{"createContacts": true, "tickets": "open-ticket"}""")
	record InboundPolicyRequest(@NotNull Boolean createContacts,
			@Schema(description = "open-ticket, new-ticket or none") @NotBlank String tickets) {

		InboundPolicy toPolicy() {
			try {
				return new InboundPolicy(createContacts, InboundPolicy.Tickets.of(tickets));
			}
			catch (IllegalArgumentException ex) {
				throw InvalidField.problem("Invalid inbound policy", "tickets", ex.getMessage());
			}
		}
	}

	@GetMapping
	InboundPolicy find() {
		return numbers.policy();
	}

	@Operation(summary = "Sets whether new callers become contacts and which ticket inbound calls land on")
	@PutMapping
	InboundPolicy change(@Valid @RequestBody InboundPolicyRequest request) {
		return numbers.changePolicy(request.toPolicy());
	}
}

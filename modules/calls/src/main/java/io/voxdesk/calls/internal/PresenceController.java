package io.voxdesk.calls.internal;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.calls.AgentPresence;
import io.voxdesk.calls.PresenceManagement;
import io.voxdesk.calls.PresenceState;
import io.voxdesk.tenants.CurrentUser;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** REST API of agents' presence: each agent sets their own, tenant admins see everyone's and keep the away reasons. */
@RestController
class PresenceController {

	private final PresenceManagement presence;

	PresenceController(PresenceManagement presence) {
		this.presence = presence;
	}

	/** The presence an agent chooses. */
	@Schema(example = """
			{"state": "away", "reason": "lunch"}""")
	record PresenceRequest(@Schema(description = "available, away or offline") @NotBlank String state,
			@Schema(description = "for away: one of /api/presence/away-reasons") @Nullable @Size(max = 100) String reason) {

		PresenceState toState() {
			try {
				return PresenceState.of(state);
			}
			catch (IllegalArgumentException ex) {
				throw InvalidField.problem("Invalid presence", "state", ex.getMessage());
			}
		}
	}

	/** The tenant's away reasons. */
	@Schema(example = """
			{"reasons": ["lunch", "training", "meeting"]}""")
	record AwayReasonsRequest(@NotNull @Size(max = 20) List<@NotBlank @Size(max = 40) String> reasons) {
	}

	@GetMapping("/api/me/presence")
	@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
	AgentPresence mine() {
		return presence.of(CurrentUser.current().requireUser());
	}

	@Operation(summary = "Sets the caller's presence: only available agents are rung for inbound calls")
	@PutMapping("/api/me/presence")
	@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
	AgentPresence choose(@Valid @RequestBody PresenceRequest request) {
		return presence.choose(CurrentUser.current().requireUser(), request.toState(), request.reason());
	}

	@GetMapping("/api/presence")
	@PreAuthorize("hasRole('tenant-admin')")
	List<AgentPresence> everyone() {
		return presence.all();
	}

	@GetMapping("/api/presence/away-reasons")
	@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
	List<String> awayReasons() {
		return presence.awayReasons();
	}

	@PutMapping("/api/presence/away-reasons")
	@PreAuthorize("hasRole('tenant-admin')")
	List<String> changeAwayReasons(@Valid @RequestBody AwayReasonsRequest request) {
		return presence.changeAwayReasons(request.reasons());
	}
}

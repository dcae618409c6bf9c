package io.voxdesk.calls.internal;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.calls.QueueOverflow;
import io.voxdesk.calls.QueueRouting;
import io.voxdesk.calls.QueueRoutingDraft;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.calls.RoutingStrategy;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST API of how a ticket queue distributes its calls: read by its agents and admins, set by tenant admins. */
@RestController
@RequestMapping("/api/queues/{id}/call-routing")
class QueueRoutingController {

	private final QueueRoutingManagement routing;

	QueueRoutingController(QueueRoutingManagement routing) {
		this.routing = routing;
	}

	/** A queue's call routing as an admin sets it. */
	@Schema(example = """
			{"strategy": "round-robin", "ringSeconds": 20, "maxWaitSeconds": 300, "wrapUpSeconds": 10,
			 "musicClass": "default", "greeting": "queue-thankyou",
			 "overflow": {"target": "queue", "queueId": "5e2b7f0e-8f43-4c1b-a0d4-3f9c2b6d7e88"}}""")
	record QueueRoutingRequest(
			@Schema(description = "ring-all, round-robin, longest-idle, fewest-calls or random") @NotBlank String strategy,
			@Schema(description = "5 to 120") @NotNull Integer ringSeconds,
			@Schema(description = "10 to 3600") @NotNull Integer maxWaitSeconds,
			@Schema(description = "0 to 600") @NotNull Integer wrapUpSeconds,
			@Schema(description = "a class of the PBX's musiconhold.conf; default: default") @Nullable @Size(max = 80) String musicClass,
			@Schema(description = "what the caller hears first: a sound of the PBX, or audio:<id> for an item of the audio library") @Nullable @Size(max = 80) String greeting,
			@Valid @NotNull OverflowRequest overflow) {

		QueueRoutingDraft toDraft() {
			RoutingStrategy parsed;
			try {
				parsed = RoutingStrategy.of(strategy);
			}
			catch (IllegalArgumentException ex) {
				throw InvalidField.problem("Invalid queue routing", "strategy", ex.getMessage());
			}
			return new QueueRoutingDraft(parsed, ringSeconds, maxWaitSeconds, wrapUpSeconds,
					musicClass == null || musicClass.isBlank() ? "default" : musicClass,
					greeting == null || greeting.isBlank() ? null : greeting, overflow.toOverflow());
		}
	}

	/** Where waiting callers go when the wait is over or nobody can take calls. */
	record OverflowRequest(@Schema(description = "hang-up, queue or user") @NotBlank String target,
			@Nullable UUID queueId, @Nullable @Size(max = 64) String userId,
			@Schema(description = "for hang-up: what the caller hears first, a sound of the PBX or audio:<id>; default vm-goodbye") @Nullable @Size(max = 80) String message) {

		QueueOverflow toOverflow() {
			QueueOverflow.Target parsed;
			try {
				parsed = QueueOverflow.Target.of(target);
			}
			catch (IllegalArgumentException ex) {
				throw invalidTarget(ex);
			}
			return new QueueOverflow(parsed, queueId == null ? null : QueueId.of(queueId),
					userId == null || userId.isBlank() ? null : UserId.of(userId),
					parsed == QueueOverflow.Target.HANG_UP && (message == null || message.isBlank()) ? "vm-goodbye"
							: message);
		}

		private static ErrorResponseException invalidTarget(IllegalArgumentException ex) {
			return InvalidField.problem("Invalid queue routing", "overflow.target", ex.getMessage());
		}
	}

	@GetMapping
	@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
	QueueRouting find(@PathVariable UUID id) {
		return routing.find(QueueId.of(id));
	}

	@Operation(summary = "Sets how the queue distributes its calls: strategy, ring time, maximum wait, wrap-up, "
			+ "music and overflow")
	@PutMapping
	@PreAuthorize("hasRole('tenant-admin')")
	QueueRouting save(@PathVariable UUID id, @Valid @RequestBody QueueRoutingRequest request) {
		return routing.save(QueueId.of(id), request.toDraft());
	}
}

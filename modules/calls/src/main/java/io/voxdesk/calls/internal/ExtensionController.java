package io.voxdesk.calls.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own extension, the phone click-to-call rings first. A minimal stand-in for the extensions module,
 * which will take over this data.
 */
@RestController
@RequestMapping("/api/me/extension")
@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
class ExtensionController {

	private final AgentExtensions extensions;

	private final Clock clock;

	ExtensionController(AgentExtensions extensions, Optional<Clock> clock) {
		this.extensions = extensions;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** The extension and whether it takes calls. */
	@Schema(example = """
			{"extension": "1001", "active": true}""")
	record ExtensionRequest(
			@Schema(example = "1001") @NotNull @Pattern(regexp = "[0-9A-Za-z._-]{1,40}",
					message = "must be 1 to 40 letters, digits, '.', '_' or '-'") String extension,
			@Schema(example = "true") boolean active) {
	}

	@GetMapping
	@Transactional(readOnly = true)
	AgentExtensions.AgentExtension mine() {
		var user = Callers.current().user();
		return extensions.find(user).orElseThrow(() -> {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "You have not set up an extension yet.");
			problem.setTitle("No extension");
			return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		});
	}

	@Operation(summary = "Sets the extension your click-to-calls ring first")
	@PutMapping
	@Transactional
	AgentExtensions.AgentExtension change(@Valid @RequestBody ExtensionRequest request) {
		var user = Callers.current().user();
		if (extensions.takenByAnother(user, request.extension())) {
			var detail = "Extension " + request.extension() + " belongs to another user of your organization.";
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
			problem.setTitle("Extension taken");
			problem.setProperty("errors", List.of(Map.of("field", "extension", "message", detail)));
			throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
		}
		var extension = new AgentExtensions.AgentExtension(user, request.extension(), request.active());
		extensions.save(extension, clock.instant());
		return extension;
	}
}

package io.voxdesk.calls.internal;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallbackDetails;
import io.voxdesk.calls.CallbackId;
import io.voxdesk.calls.CallbackManagement;
import io.voxdesk.tenants.CurrentUser;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST API of callback tasks: missed callers for the agents of their queue to call back. */
@RestController
@RequestMapping("/api/callbacks")
@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
class CallbackController {

	private final CallbackManagement callbacks;

	CallbackController(CallbackManagement callbacks) {
		this.callbacks = callbacks;
	}

	/** Why a callback is closed without a call. */
	@Schema(example = """
			{"reason": "The customer wrote an e-mail instead"}""")
	record CloseRequest(@NotBlank @Size(max = 200) String reason) {
	}

	@GetMapping
	List<CallbackDetails> list(@RequestParam(defaultValue = "false") boolean closed) {
		return callbacks.list(CurrentUser.current(), closed);
	}

	@Operation(summary = "Takes the callback: no other agent can take it afterwards")
	@PostMapping("/{id}/take")
	CallbackDetails take(@PathVariable UUID id) {
		return callbacks.take(CallbackId.of(id), CurrentUser.current());
	}

	@Operation(summary = "Calls the customer back with click-to-call, on the callback's ticket; answered, it closes")
	@PostMapping("/{id}/call")
	ResponseEntity<CallDetails> call(@PathVariable UUID id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(callbacks.callBack(CallbackId.of(id), CurrentUser.current()));
	}

	@PostMapping("/{id}/close")
	CallbackDetails close(@PathVariable UUID id, @Valid @RequestBody CloseRequest request) {
		return callbacks.close(CallbackId.of(id), request.reason(), CurrentUser.current());
	}
}

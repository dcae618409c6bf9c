package io.voxdesk.calls.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderConnectionNotFoundException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.ConnectionCheck;

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

/**
 * REST API of the tenant's provider connections, for tenant admins. Secrets are write-only: responses say whether
 * one is set, never what it is.
 */
@RestController
@RequestMapping("/api/provider-connections")
@PreAuthorize("hasRole('tenant-admin')")
class ProviderConnectionController {

	private final ProviderConnectionManagement connections;

	ProviderConnectionController(ProviderConnectionManagement connections) {
		this.connections = connections;
	}

	/** A connection as an admin enters it. */
	@Schema(example = """
			{"kind": "asterisk", "name": "Main office PBX", "enabled": true, "secret": "s3cret",
			 "settings": {"baseUrl": "http://pbx.example.com:8088", "username": "voxdesk", "application": "voxdesk",
			              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk",
			              "recording": "true"}}""")
	record ConnectionRequest(
			@Schema(example = "asterisk", description = "one of the kinds GET /api/provider-kinds lists") @NotBlank String kind,
			@Schema(example = "Main office PBX") @NotBlank @Size(max = 100) String name,
			@Schema(example = "true") boolean enabled,
			@Schema(example = """
					{"baseUrl": "http://pbx.example.com:8088", "username": "voxdesk", "application": "voxdesk",
					 "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk", "recording": "true"}""")
			@NotNull Map<@NotNull @Size(max = 100) String, @NotNull @Size(max = 500) String> settings,
			@Schema(description = "the secret the kind declares (ARI password, API token…); write-only, omit to keep the stored one",
					example = "s3cret", accessMode = Schema.AccessMode.WRITE_ONLY) @Nullable @Size(max = 500) String secret) {

		ProviderConnectionDraft toDraft() {
			return new ProviderConnectionDraft(ProviderKind.of(kind), name, enabled, settings, secret);
		}

		@Override
		public String toString() {
			return "ConnectionRequest[kind=" + kind + ", name=" + name + ", secret=***]";
		}
	}

	@GetMapping
	List<ProviderConnectionDetails> list() {
		return connections.list();
	}

	@GetMapping("/{id}")
	ProviderConnectionDetails find(@PathVariable UUID id) {
		return connections.find(ProviderConnectionId.of(id))
			.orElseThrow(() -> new ProviderConnectionNotFoundException(ProviderConnectionId.of(id)));
	}

	@PostMapping
	ResponseEntity<ProviderConnectionDetails> create(@Valid @RequestBody ConnectionRequest request) {
		var created = connections.create(request.toDraft());
		return ResponseEntity.created(URI.create("/api/provider-connections/" + created.id())).body(created);
	}

	@Operation(summary = "Changes a connection; omit the secret to keep the stored one")
	@PutMapping("/{id}")
	ProviderConnectionDetails update(@PathVariable UUID id, @Valid @RequestBody ConnectionRequest request) {
		return connections.update(ProviderConnectionId.of(id), request.toDraft());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		connections.delete(ProviderConnectionId.of(id));
		return ResponseEntity.noContent().build();
	}

	@Operation(summary = "Tests the connection against the provider, within a few seconds")
	@PostMapping("/{id}/test")
	ConnectionCheck test(@PathVariable UUID id) {
		return connections.test(ProviderConnectionId.of(id));
	}
}

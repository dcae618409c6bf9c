package io.voxdesk.serviceaccounts.internal;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.serviceaccounts.ServiceAccountId;
import io.voxdesk.serviceaccounts.internal.ServiceAccountRegistry.ServiceAccountDetails;
import io.voxdesk.serviceaccounts.internal.ServiceAccountRegistry.ServiceAccountWithSecret;
import io.voxdesk.tenants.TenantRequestFilter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The service accounts of the caller's tenant, for its admins. Only people manage them: a service account cannot make
 * or rotate one, so a leaked secret cannot be turned into more secrets.
 */
@RestController
@RequestMapping("/api/service-accounts")
@PreAuthorize("hasRole('tenant-admin')")
class ServiceAccountController {

	private final ServiceAccountRegistry registry;

	ServiceAccountController(ServiceAccountRegistry registry) {
		this.registry = registry;
	}

	@Operation(summary = "Creates a service account (a Keycloak client-credentials client); the answer holds its secret, shown this once")
	@PostMapping
	ResponseEntity<ServiceAccountWithSecret> create(@Valid @RequestBody ServiceAccountRequest request, Authentication caller) {
		peopleOnly(caller);
		var created = registry.create(request.name(), request.roles());
		return ResponseEntity.created(URI.create("/api/service-accounts/" + created.account().id())).body(created);
	}

	@Operation(summary = "The tenant's service accounts (never their secrets)")
	@GetMapping
	List<ServiceAccountDetails> list() {
		return registry.list();
	}

	@GetMapping("/{id}")
	ServiceAccountDetails get(@PathVariable UUID id) {
		return registry.get(ServiceAccountId.of(id));
	}

	@Operation(summary = "A new secret, shown this once; the previous one stops working at once")
	@PostMapping("/{id}/secret")
	ServiceAccountWithSecret rotate(@PathVariable UUID id, Authentication caller) {
		peopleOnly(caller);
		return registry.rotate(ServiceAccountId.of(id));
	}

	@Operation(summary = "Deletes the service account; Keycloak issues it no more tokens")
	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable UUID id, Authentication caller) {
		peopleOnly(caller);
		registry.delete(ServiceAccountId.of(id));
	}

	private static void peopleOnly(Authentication caller) {
		if (caller.getAuthorities().stream().anyMatch(a -> TenantRequestFilter.SERVICE_ACCOUNT.equals(a.getAuthority()))) {
			throw ServiceAccountRegistry.problem(HttpStatus.FORBIDDEN, "People only", "A service account cannot create, "
					+ "rotate or delete service accounts; a tenant admin signed in as a person can.");
		}
	}

	/** A service account as an admin creates it: a name people recognise and its roles (agent, tenant-admin). */
	@Schema(example = """
			{"name": "CRM sync", "roles": ["agent"]}""")
	record ServiceAccountRequest(@NotBlank @Size(max = 100) String name, @NotNull @Size(min = 1, max = 2) List<String> roles) {
	}
}

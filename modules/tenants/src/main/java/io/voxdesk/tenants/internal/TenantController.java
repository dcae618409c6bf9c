package io.voxdesk.tenants.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.TenantMember;
import io.voxdesk.tenants.TenantNotFoundException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.security.core.Authentication;
import org.springframework.http.ProblemDetail;

/** REST API of the tenant registry: platform admins manage tenants, every user reads their own. */
@RestController
@RequestMapping("/api/tenants")
class TenantController {

	private static final List<String> VOXDESK_ROLES = List.of("platform-admin", "tenant-admin", "agent");

	private final TenantManagement tenants;

	private final TenantContext context;

	private final MemberDirectory members;

	TenantController(TenantManagement tenants, TenantContext context, MemberDirectory members) {
		this.tenants = tenants;
		this.context = context;
		this.members = members;
	}

	@PostMapping
	@PreAuthorize("hasRole('platform-admin')")
	ResponseEntity<TenantDetails> create(@Valid @RequestBody CreateTenant request) {
		var region = request.defaultRegion() == null ? TenantDetails.DEFAULT_REGION : request.defaultRegion();
		var created = tenants.create(TenantId.of(request.id()), request.name().strip(), region);
		return ResponseEntity.created(URI.create("/api/tenants/" + created.id())).body(created);
	}

	@GetMapping
	@PreAuthorize("hasRole('platform-admin')")
	PagedModel<TenantDetails> list(@PageableDefault(size = 50, sort = "id", direction = Sort.Direction.ASC) Pageable page) {
		return new PagedModel<>(tenants.list(page));
	}

	@GetMapping("/{id}")
	@PreAuthorize("hasRole('platform-admin')")
	TenantDetails get(@PathVariable String id) {
		var tenantId = parse(id);
		return tenants.find(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId));
	}

	@PostMapping("/{id}/deactivate")
	@PreAuthorize("hasRole('platform-admin')")
	TenantDetails deactivate(@PathVariable String id) {
		return tenants.deactivate(parse(id));
	}

	@PostMapping("/{id}/reactivate")
	@PreAuthorize("hasRole('platform-admin')")
	TenantDetails reactivate(@PathVariable String id) {
		return tenants.reactivate(parse(id));
	}

	@PostMapping("/{id}/key-rotation")
	@PreAuthorize("hasRole('platform-admin')")
	Map<String, Integer> rotateKey(@PathVariable String id) {
		return Map.of("keyVersion", tenants.rotateDataKey(parse(id)));
	}

	/** Re-wraps every tenant's data keys under the active master key (after a master key rotation). */
	@PostMapping("/master-key-rewrap")
	@PreAuthorize("hasRole('platform-admin')")
	TenantManagement.RewrapReport rewrap() {
		return tenants.rewrapAllUnderActiveMasterKey();
	}

	/** Who the caller is and which tenant they work for; the platform scope has no tenant. */
	@GetMapping("/me")
	Me me(Authentication authentication) {
		var tenant = context.tenantIfBound().map(id -> tenants.find(id).orElseThrow(() -> new TenantNotFoundException(id)));
		var roles = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter(a -> a.startsWith("ROLE_"))
			.map(a -> a.substring(5))
			.filter(VOXDESK_ROLES::contains)
			.sorted()
			.toList();
		return new Me(context.actor().subject(), context.actor().username(), roles, tenant.orElse(null));
	}

	/** The users of the caller's tenant who have signed in, with their roles: whom tickets can be given to. */
	@GetMapping("/me/members")
	@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
	List<TenantMember> members() {
		return members.list();
	}

	private static TenantId parse(String id) {
		if (!TenantId.isValid(id)) {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"'" + id + "' is not a tenant id: tenant ids are 2 to 63 lowercase letters, digits or dashes.");
			problem.setTitle("Invalid tenant id");
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		return TenantId.of(id);
	}

	/** A platform admin's request to register a tenant. */
	@Schema(example = """
			{"id": "acme", "name": "Acme Telecom", "defaultRegion": "BR"}""")
	record CreateTenant(
			@NotBlank @Pattern(regexp = TenantId.PATTERN,
					message = "must be 2 to 63 lowercase letters, digits or dashes, starting with a letter or digit") String id,
			@NotBlank @Size(max = 200) String name,
			@org.jspecify.annotations.Nullable @Pattern(regexp = "^[A-Z]{2}$",
					message = "must be an ISO 3166 alpha-2 region such as BR") String defaultRegion) {
	}

	/** The caller: user id, username, roles and tenant (absent in the platform scope). */
	record Me(String userId, String username, List<String> roles, @org.jspecify.annotations.Nullable TenantDetails tenant) {
	}
}

package io.voxdesk.audit.internal;

import java.util.UUID;

import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads the audit log: platform admins see every tenant's entries, tenant admins their own tenant's only
 * (the tenant scope filters the queries, and row-level security the rows).
 */
@RestController
@RequestMapping("/api/audit-entries")
@PreAuthorize("hasAnyRole('platform-admin', 'tenant-admin')")
class AuditController {

	private final AuditEntries entries;

	AuditController(AuditEntries entries) {
		this.entries = entries;
	}

	@GetMapping
	@Transactional(readOnly = true)
	PagedModel<AuditEntryDetails> list(@RequestParam(required = false) @Nullable String tenantId,
			@PageableDefault(size = 50, sort = "occurredAt", direction = Sort.Direction.DESC) Pageable page) {
		var found = tenantId == null ? entries.findAll(page) : entries.findByTenantId(TenantId.of(tenantId).value(), page);
		return new PagedModel<>(found.map(AuditEntry::toDetails));
	}

	@GetMapping("/{id}")
	@Transactional(readOnly = true)
	AuditEntryDetails get(@PathVariable UUID id) {
		return entries.findById(id).map(AuditEntry::toDetails).orElseThrow(() -> {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no audit entry " + id + ".");
			problem.setTitle("Audit entry not found");
			return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		});
	}
}

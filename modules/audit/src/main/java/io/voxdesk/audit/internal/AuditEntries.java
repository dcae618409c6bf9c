package io.voxdesk.audit.internal;

import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

/** The audit log; offers no update or delete, and the database grants none either. */
interface AuditEntries extends ListCrudRepository<AuditEntry, UUID>, PagingAndSortingRepository<AuditEntry, UUID> {

	Page<AuditEntry> findByTenantId(String tenantId, Pageable page);
}

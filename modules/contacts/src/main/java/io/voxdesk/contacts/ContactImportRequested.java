package io.voxdesk.contacts;

import io.voxdesk.tenants.TenantId;

/** A tenant admin uploaded a CSV file of contacts; the import runs in the background from this event. */
public record ContactImportRequested(TenantId tenantId, ContactImportId importId) {
}

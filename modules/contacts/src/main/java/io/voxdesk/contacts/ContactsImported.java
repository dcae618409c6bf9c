package io.voxdesk.contacts;

import io.voxdesk.tenants.TenantId;

/** A CSV import ended: one event for the whole file rather than one per contact. */
public record ContactsImported(TenantId tenantId, ContactImportId importId, int imported, int rejected) {
}

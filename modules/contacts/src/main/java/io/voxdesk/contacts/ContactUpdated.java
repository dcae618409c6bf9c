package io.voxdesk.contacts;

import io.voxdesk.tenants.TenantId;

/** A contact's name, numbers or fields changed. */
public record ContactUpdated(TenantId tenantId, ContactId contactId) {
}

package io.voxdesk.contacts;

import io.voxdesk.tenants.TenantId;

/** A contact was created, by hand, by an import or by caller-ID matching. */
public record ContactCreated(TenantId tenantId, ContactId contactId) {
}

package io.voxdesk.extensions.internal;

import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;

/** Whose active line is remembered: user ids are unique per tenant only. */
record LineOwner(TenantId tenant, UserId user) {
}

package io.voxdesk.tenants.internal;

import org.springframework.data.jpa.repository.JpaRepository;

/** The tenant registry. */
interface Tenants extends JpaRepository<Tenant, String> {
}

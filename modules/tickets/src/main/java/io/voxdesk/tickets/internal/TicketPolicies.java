package io.voxdesk.tickets.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tickets.ClosedTicketPolicy;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The current tenant's ticket policy; a tenant that never chose one gets {@link ClosedTicketPolicy#REOPEN}. */
@Repository
class TicketPolicies {

	private final JdbcClient jdbc;

	private final TenantContext context;

	TicketPolicies(JdbcClient jdbc, TenantContext context) {
		this.jdbc = jdbc;
		this.context = context;
	}

	ClosedTicketPolicy current() {
		return jdbc.sql("select when_last_closed from ticket_policies where tenant_id = :tenant")
			.param("tenant", context.currentTenant().value())
			.query(String.class)
			.optional()
			.map(ClosedTicketPolicy::fromCode)
			.orElse(ClosedTicketPolicy.REOPEN);
	}

	void change(ClosedTicketPolicy policy, Instant now) {
		jdbc.sql("""
				insert into ticket_policies (tenant_id, when_last_closed, updated_at) values (:tenant, :policy, :now)
				on conflict (tenant_id) do update set when_last_closed = excluded.when_last_closed, updated_at = excluded.updated_at""")
			.param("tenant", context.currentTenant().value())
			.param("policy", policy.code())
			.param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.update();
	}
}

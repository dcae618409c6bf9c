package io.voxdesk.calls.internal;

import java.time.Instant;
import java.util.Optional;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The personal extension each user of the current tenant rings from. */
@Repository
class AgentExtensions {

	/** A user's extension and whether it may take calls. */
	record AgentExtension(UserId user, String extension, boolean active) {
	}

	private final JdbcClient jdbc;

	private final TenantContext context;

	AgentExtensions(JdbcClient jdbc, TenantContext context) {
		this.jdbc = jdbc;
		this.context = context;
	}

	Optional<AgentExtension> find(UserId user) {
		return jdbc.sql("select extension, active from agent_extensions where user_id = :user")
			.param("user", user.value())
			.query((rs, row) -> new AgentExtension(user, rs.getString("extension"), rs.getBoolean("active")))
			.optional();
	}

	boolean takenByAnother(UserId user, String extension) {
		return jdbc.sql("select count(*) from agent_extensions where extension = :extension and user_id <> :user")
			.param("extension", extension)
			.param("user", user.value())
			.query(Long.class)
			.single() > 0;
	}

	void save(AgentExtension extension, Instant now) {
		jdbc.sql("""
				insert into agent_extensions (tenant_id, user_id, extension, active, updated_at)
				values (:tenant, :user, :extension, :active, :now)
				on conflict (tenant_id, user_id) do update
				  set extension = excluded.extension, active = excluded.active, updated_at = excluded.updated_at""")
			.param("tenant", context.currentTenant().value())
			.param("user", extension.user().value())
			.param("extension", extension.extension())
			.param("active", extension.active())
			.param("now", java.sql.Timestamp.from(now))
			.update();
	}
}

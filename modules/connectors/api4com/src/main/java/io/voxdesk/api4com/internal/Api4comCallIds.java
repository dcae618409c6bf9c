package io.voxdesk.api4com.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import io.voxdesk.calls.CallId;
import io.voxdesk.tenants.TenantId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * API4COM's id of each Voxdesk call, as its webhooks and call records give it: the dialer answers with an id of its
 * own that hanging up does not accept, so this is the only way to name the call to API4COM.
 */
@Repository
class Api4comCallIds {

	private final JdbcClient jdbc;

	Api4comCallIds(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Remembers the id; the first one reported stays. */
	void remember(TenantId tenant, CallId call, String api4comId, Instant now) {
		jdbc.sql("""
				insert into api4com_calls (tenant_id, call_id, api4com_call_id, created_at)
				values (:tenant, :call, :id, :now)
				on conflict (call_id) do nothing""")
			.param("tenant", tenant.value())
			.param("call", call.value())
			.param("id", api4comId)
			.param("now", Timestamp.from(now))
			.update();
	}

	/** The current tenant's API4COM id of the call. */
	Optional<String> find(CallId call) {
		return jdbc.sql("select api4com_call_id from api4com_calls where call_id = :call")
			.param("call", call.value())
			.query(String.class)
			.optional();
	}
}

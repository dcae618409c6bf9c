package io.voxdesk.tenants.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantMember;
import io.voxdesk.tenants.UserId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code tenant_members} table of the current tenant (row-level security scopes every statement). */
@Repository
public class Members {

	/** How long a sighting stays fresh enough not to be written again. */
	private static final Duration REFRESH = Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final TenantContext context;

	private final Clock clock;

	/** What was last written per tenant and user, so most requests write nothing. */
	private final Map<String, Sighting> written = new ConcurrentHashMap<>();

	Members(JdbcClient jdbc, TenantContext context) {
		this.jdbc = jdbc;
		this.context = context;
		this.clock = Clock.systemUTC();
	}

	public Optional<TenantMember> find(UserId id) {
		return jdbc.sql("select * from tenant_members where tenant_id = :tenant and user_id = :id")
			.param("tenant", context.currentTenant().value())
			.param("id", id.value())
			.query(Members::member)
			.optional();
	}

	public List<TenantMember> list() {
		return jdbc.sql("select * from tenant_members where tenant_id = :tenant order by username, user_id")
			.param("tenant", context.currentTenant().value())
			.query(Members::member)
			.list();
	}

	public void recordSeen(UserId id, String username, Set<String> roles) {
		var tenant = context.currentTenant().value();
		var key = tenant + "/" + id.value();
		var now = clock.instant();
		var sighting = new Sighting(username, new TreeSet<>(roles), now);
		var previous = written.get(key);
		if (previous != null && previous.sameAs(sighting) && previous.at().plus(REFRESH).isAfter(now)) {
			return;
		}
		jdbc.sql("""
				insert into tenant_members (tenant_id, user_id, username, roles, first_seen_at, last_seen_at)
				values (:tenant, :id, :username, :roles, :now, :now)
				on conflict (tenant_id, user_id) do update
				set username = excluded.username, roles = excluded.roles, last_seen_at = excluded.last_seen_at""")
			.param("tenant", tenant)
			.param("id", id.value())
			.param("username", username)
			.param("roles", sighting.roles().toArray(String[]::new))
			.param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.update();
		written.put(key, sighting);
	}

	private static TenantMember member(ResultSet row, int number) throws SQLException {
		return new TenantMember(UserId.of(row.getString("user_id")), row.getString("username"), roles(row.getArray("roles")),
				row.getObject("first_seen_at", OffsetDateTime.class).toInstant(),
				row.getObject("last_seen_at", OffsetDateTime.class).toInstant());
	}

	private static Set<String> roles(Array array) throws SQLException {
		return Set.copyOf(Arrays.asList((String[]) array.getArray()));
	}

	private record Sighting(String username, Set<String> roles, Instant at) {

		boolean sameAs(Sighting other) {
			return username.equals(other.username) && roles.equals(other.roles);
		}
	}
}

package io.voxdesk.tenants.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import javax.sql.DataSource;

import io.voxdesk.tenants.Fence;
import io.voxdesk.tenants.TenantContext;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands PostgreSQL the current scope with every connection it lends: {@code app.tenant_id} and
 * {@code app.platform} are what the row-level security policies compare against, {@code app.fence} the lease
 * that fenced writes are checked against. A transaction keeps its
 * connection to the end, so the scope is fixed per transaction; a connection lent without a scope sees no
 * tenant rows at all.
 */
class TenantScopedDataSource extends DelegatingDataSource {

	private static final String APPLY_SCOPE = "select set_config('app.tenant_id', ?, false), set_config('app.platform', ?, false), "
			+ "set_config('app.fence', ?, false)";

	private final TenantContext context;

	// The scope each physical connection was last given. Set outside a transaction, a session setting stays until
	// it is set again, so a pooled connection lent again for the same scope needs no round trip (most are: a click
	// takes several connections in a row for the same tenant).
	private final Map<Connection, String> applied = Collections.synchronizedMap(new WeakHashMap<>());

	TenantScopedDataSource(DataSource target, TenantContext context) {
		super(target);
		this.context = context;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return applyScope(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return applyScope(super.getConnection(username, password));
	}

	private Connection applyScope(Connection connection) throws SQLException {
		try {
			var tenant = context.tenantIfBound().map(Object::toString).orElse("");
			var platform = context.isPlatform() ? "on" : "off";
			var fence = context.fence().map(Fence::asSetting).orElse("");
			var scope = tenant + "|" + platform + "|" + fence;
			var physical = connection.unwrap(Connection.class);
			// Inside a transaction the setting would be undone by a rollback, so such a connection is never trusted
			// to still hold it and is not remembered.
			var settles = connection.getAutoCommit();
			if (settles && scope.equals(applied.get(physical))) {
				return connection;
			}
			applied.remove(physical);
			try (var statement = connection.prepareStatement(APPLY_SCOPE)) {
				statement.setString(1, tenant);
				statement.setString(2, platform);
				statement.setString(3, fence);
				statement.execute();
			}
			if (settles) {
				applied.put(physical, scope);
			}
			return connection;
		}
		catch (SQLException | RuntimeException e) {
			connection.close();
			throw e;
		}
	}
}

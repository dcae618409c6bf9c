package io.voxdesk.tenants.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.voxdesk.tenants.TenantContext;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands PostgreSQL the current scope with every connection it lends: {@code app.tenant_id} and
 * {@code app.platform} are what the row-level security policies compare against. A transaction keeps its
 * connection to the end, so the scope is fixed per transaction; a connection lent without a scope sees no
 * tenant rows at all.
 */
class TenantScopedDataSource extends DelegatingDataSource {

	private static final String APPLY_SCOPE = "select set_config('app.tenant_id', ?, false), set_config('app.platform', ?, false)";

	private final TenantContext context;

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
		try (var statement = connection.prepareStatement(APPLY_SCOPE)) {
			statement.setString(1, context.tenantIfBound().map(Object::toString).orElse(""));
			statement.setString(2, context.isPlatform() ? "on" : "off");
			statement.execute();
			return connection;
		}
		catch (SQLException | RuntimeException e) {
			connection.close();
			throw e;
		}
	}
}

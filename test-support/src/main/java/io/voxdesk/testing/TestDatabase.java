package io.voxdesk.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL every integration test uses: a Testcontainers PostgreSQL when a Docker engine is present,
 * else the local server (127.0.0.1:5432, database {@code voxdesk_test}). Either way the schema is emptied once
 * per test JVM, Liquibase (as the owner role) rebuilds it, and the application connects as the non-owner
 * role so row-level security applies exactly as in production.
 */
public final class TestDatabase {

	public static final String OWNER = "voxdesk_owner";

	public static final String APP = "voxdesk_app";

	private static final String PASSWORD = System.getProperty("voxdesk.test.db.password",
			System.getenv().getOrDefault("VOXDESK_DB_APP_PASSWORD", "voxdesk-dev"));

	private static final String OWNER_PASSWORD = System.getProperty("voxdesk.test.db.owner-password",
			System.getenv().getOrDefault("VOXDESK_DB_OWNER_PASSWORD", "voxdesk-dev"));

	private static volatile TestDatabase instance;

	private final String url;

	/** A superuser's connection settings where this class made the server (a container), else null. */
	private final String @Nullable [] admin;

	private TestDatabase(String url, String @Nullable [] admin) {
		this.url = url;
		this.admin = admin;
	}

	/** The database, started or prepared on first use. */
	public static synchronized TestDatabase get() {
		if (instance == null) {
			instance = DockerClientFactory.instance().isDockerAvailable() ? container() : local();
			instance.resetSchema();
		}
		return instance;
	}

	public String url() {
		return url;
	}

	public String appUser() {
		return APP;
	}

	public String appPassword() {
		return PASSWORD;
	}

	public String ownerUser() {
		return OWNER;
	}

	public String ownerPassword() {
		return OWNER_PASSWORD;
	}

	/** A connection as the owner role, for tests that inspect what the application cannot. */
	public Connection ownerConnection() throws SQLException {
		return DriverManager.getConnection(url, OWNER, OWNER_PASSWORD);
	}

	private static TestDatabase container() {
		@SuppressWarnings("resource")
		var postgres = new PostgreSQLContainer("postgres:16-alpine");
		postgres.start();
		Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop));
		try (var admin = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
				var statement = admin.createStatement()) {
			statement.execute(createRole(OWNER, OWNER_PASSWORD, ""));
			statement.execute(createRole(APP, PASSWORD, " NOSUPERUSER NOBYPASSRLS"));
			statement.execute("ALTER DATABASE " + postgres.getDatabaseName() + " OWNER TO " + OWNER);
		}
		catch (SQLException e) {
			throw new IllegalStateException("Could not prepare the PostgreSQL test container", e);
		}
		return new TestDatabase(postgres.getJdbcUrl(),
				new String[] { postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword() });
	}

	private static TestDatabase local() {
		var host = System.getProperty("voxdesk.test.db.host", "127.0.0.1");
		var port = System.getProperty("voxdesk.test.db.port", "5432");
		var name = System.getProperty("voxdesk.test.db.name", "voxdesk_test");
		var url = "jdbc:postgresql://" + host + ":" + port + "/" + name;
		try (var ignored = DriverManager.getConnection(url, OWNER, OWNER_PASSWORD)) {
			return new TestDatabase(url, null);
		}
		catch (SQLException e) {
			throw new IllegalStateException("No Docker engine, and the local test database " + url + " does not accept "
					+ OWNER + ". Run `./voxdesk test` (it installs, starts and prepares PostgreSQL), or create it with "
					+ "db/setup/create-database.sql (dbname=" + name + ").", e);
		}
	}

	/**
	 * Another database on the same server, named after this one with {@code _suffix}, owned by the owner role and
	 * emptied, for tests that need a database of their own (a restore). On the local server {@code ./voxdesk test}
	 * creates it beforehand (the owner role may not create databases); in a container it is created here.
	 *
	 * @return its JDBC URL.
	 */
	public String scratch(String suffix) {
		var name = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "") + "_" + suffix;
		var scratch = url.substring(0, url.lastIndexOf('/') + 1) + name;
		if (admin != null) {
			try (var connection = DriverManager.getConnection(admin[0], admin[1], admin[2]);
					var statement = connection.createStatement()) {
				statement.execute("DROP DATABASE IF EXISTS " + name);
				statement.execute("CREATE DATABASE " + name + " OWNER " + OWNER);
			}
			catch (SQLException e) {
				throw new IllegalStateException("Could not create the database " + name + " in the test container", e);
			}
		}
		try (var owner = DriverManager.getConnection(scratch, OWNER, OWNER_PASSWORD);
				var statement = owner.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS public CASCADE");
			statement.execute("CREATE SCHEMA public");
		}
		catch (SQLException e) {
			throw new IllegalStateException("The database " + scratch + " does not accept " + OWNER + ". Run `./voxdesk "
					+ "test` (it prepares it), or create it with db/setup/create-database.sql (dbname=" + name + ").", e);
		}
		return scratch;
	}

	private static String createRole(String role, String password, String options) {
		return "CREATE ROLE " + role + " LOGIN" + options + " PASSWORD '" + password.replace("'", "''") + "'";
	}

	/** Leaves an empty public schema, so each test JVM starts from what Liquibase builds and nothing else. */
	private void resetSchema() {
		try (var owner = ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS public CASCADE");
			statement.execute("CREATE SCHEMA public");
			statement.execute("GRANT USAGE ON SCHEMA public TO " + APP);
		}
		catch (SQLException e) {
			throw new IllegalStateException("Could not reset the test schema at " + url, e);
		}
	}
}

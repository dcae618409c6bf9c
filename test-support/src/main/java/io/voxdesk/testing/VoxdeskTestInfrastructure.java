package io.voxdesk.testing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;

import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Points every Spring test context at the real test PostgreSQL (as the non-owner application role, with
 * Liquibase as the owner) and the real Keycloak, and gives it a random master key of its own. Registered in
 * {@code META-INF/spring.factories}, so module tests and application tests alike get it without ceremony.
 * <p>
 * Not {@code @ServiceConnection}: a service connection would make the application connect as the container's
 * superuser, which bypasses row-level security and so would hide exactly the bugs these tests look for.
 */
public class VoxdeskTestInfrastructure implements ContextCustomizerFactory {

	/** One random master key per test JVM; the schema (and its master key check) is new per JVM too. */
	public static final String MASTER_KEY = randomKey();

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new Customizer();
	}

	public static String randomKey() {
		var bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getEncoder().encodeToString(bytes);
	}

	/** Adds the test infrastructure's properties ahead of every other property source. */
	private static final class Customizer implements ContextCustomizer {

		@Override
		public void customizeContext(org.springframework.context.ConfigurableApplicationContext context,
				org.springframework.test.context.MergedContextConfiguration mergedConfig) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("voxdeskTest", new HashMap<>(properties())));
			// Last, so a test that checks these can set its own values. The tests' PBX simulator and API4COM stubs
			// listen on loopback, which production refuses, and so do the hosts receiving webhooks. Rate limits are off: their buckets live as long as a
			// cached context, so test classes sharing one spend the same users' buckets and a fast machine gets 429s
			// in tests about something else; LimitsApiTests turns them on. Service accounts are made with the dev realm's
			// admin client (keycloak/voxdesk-realm.json).
			context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("voxdeskTestDefaults",
						java.util.Map.of("voxdesk.calls.outbound.allowed-networks", "127.0.0.0/8,::1/128",
								"voxdesk.rate-limits.enabled", "false", "voxdesk.webhooks.allow-loopback-http", "true",
								"voxdesk.serviceaccounts.admin-client-secret", KeycloakTestServer.DEV_ADMIN_CLIENT_SECRET)));
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Customizer;
		}

		@Override
		public int hashCode() {
			return Customizer.class.hashCode();
		}
	}

	/** The properties that connect an application to the test database and Keycloak. */
	public static java.util.Map<String, Object> properties() {
		var database = TestDatabase.get();
		var properties = new HashMap<String, Object>();

		properties.put("spring.datasource.url", database.url());
		properties.put("spring.datasource.username", database.appUser());
		properties.put("spring.datasource.password", database.appPassword());
		properties.put("spring.liquibase.url", database.url());
		properties.put("spring.liquibase.user", database.ownerUser());
		properties.put("spring.liquibase.password", database.ownerPassword());
		properties.put("spring.liquibase.change-log", "classpath:db/changelog/db.changelog-master.yaml");
		properties.put("voxdesk.tenants.master-keys.1", MASTER_KEY);
		properties.put("spring.jpa.hibernate.ddl-auto", "validate");
		// Each test context Spring keeps cached holds its pool: idle connections of a dozen contexts would exhaust
		// PostgreSQL's connection slots, so a context keeps few of them.
		properties.put("spring.datasource.hikari.minimum-idle", "1");
		properties.put("spring.datasource.hikari.idle-timeout", "10000");
		properties.put("spring.jpa.open-in-view", "false");
		properties.put("spring.modulith.events.jdbc.schema-initialization.enabled", "false");
		properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", KeycloakTestServer.issuer());
		return properties;
	}
}

package io.voxdesk.testing;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Points a test application context at the real test PostgreSQL (as the non-owner application role, with
 * Liquibase as the owner) and gives it a random master key of its own.
 * <p>
 * Not {@code @ServiceConnection}: a service connection would make the application connect as the container's
 * superuser, which bypasses row-level security and so would hide exactly the bugs these tests look for.
 */
@TestConfiguration(proxyBeanMethods = false)
public class VoxdeskTestInfrastructure {

	/** One random master key per test JVM; the schema (and its master key check) is new per JVM too. */
	public static final String MASTER_KEY = randomKey();

	@Bean
	DynamicPropertyRegistrar voxdeskTestDatabase() {
		var database = TestDatabase.get();
		return registry -> {
			registry.add("spring.datasource.url", database::url);
			registry.add("spring.datasource.username", database::appUser);
			registry.add("spring.datasource.password", database::appPassword);
			registry.add("spring.liquibase.url", database::url);
			registry.add("spring.liquibase.user", database::ownerUser);
			registry.add("spring.liquibase.password", database::ownerPassword);
			registry.add("spring.liquibase.change-log", () -> "classpath:db/changelog/db.changelog-master.yaml");
			registry.add("voxdesk.tenants.master-keys.1", () -> MASTER_KEY);
		};
	}

	public static String randomKey() {
		var bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getEncoder().encodeToString(bytes);
	}
}

package io.voxdesk.serviceaccounts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.voxdesk.serviceaccounts.ServiceAccountChanged;
import io.voxdesk.serviceaccounts.ServiceAccountsSettings;
import io.voxdesk.serviceaccounts.internal.ServiceAccountRegistry.ServiceAccountWithSecret;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.web.ErrorResponseException;

import tools.jackson.databind.json.JsonMapper;

/**
 * Service accounts made in the real Keycloak: the client's tokens carry the tenant and the service-account mark, each
 * change is published for the audit log, and Keycloak out of reach, refusing Voxdesk, or Voxdesk without admin
 * credentials each answer a problem that says so.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class ServiceAccountRegistryTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	ServiceAccountRegistry registry;

	@Autowired
	TenantContext context;

	@Autowired
	TenantManagement tenantManagement;

	TenantId tenant;

	@BeforeEach
	void tenant() {
		tenant = new TestTenants(tenantManagement, context).create("sa", "Service accounts");
	}

	@Test
	void anAccountIsMadeInKeycloakWithTokensNamingItsTenantAndItsDeletionIsPublished(Scenario scenario) {
		var made = new AtomicReference<ServiceAccountWithSecret>();
		scenario.stimulate(() -> made.set(context.callAs(tenant, () -> registry.create("Sync", List.of("agent")))))
			.andWaitForEventOfType(ServiceAccountChanged.class)
			.matching(changed -> changed.change().equals("created"))
			.toArriveAndVerify(changed -> {
				assertThat(changed.tenantId()).isEqualTo(tenant);
				assertThat(changed.clientId()).isEqualTo(made.get().account().clientId());
				assertThat(changed.roles()).containsExactly("agent");
			});
		var account = made.get().account();
		var token = KeycloakTestServer.clientToken(account.clientId(), made.get().secret());
		var claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
		assertThat(claims.path("tenant_id").asString()).isEqualTo(tenant.value());
		assertThat(claims.path("voxdesk_service_account").asBoolean()).isTrue();
		assertThat(claims.path("aud").toString()).contains("voxdesk-api");
		assertThat(claims.path("azp").asString()).isEqualTo(account.clientId());

		scenario.stimulate(() -> context.runAs(tenant, () -> registry.delete(account.id())))
			.andWaitForEventOfType(ServiceAccountChanged.class)
			.matching(changed -> changed.change().equals("deleted"))
			.toArriveAndVerify(changed -> assertThat(changed.serviceAccountId()).isEqualTo(account.id()));
		assertThat(context.callAs(tenant, registry::list)).isEmpty();
		assertThatThrownBy(() -> KeycloakTestServer.clientToken(account.clientId(), made.get().secret()))
			.hasMessageContaining("401");
	}

	@Test
	void keycloakOutOfReachRefusingOrNotSetUpIsSaidAsSuch() {
		var closedPort = settings("http://127.0.0.1:1", KeycloakTestServer.DEV_ADMIN_CLIENT_SECRET);
		assertThat(status(closedPort)).isEqualTo(503);
		assertThat(status(settings(null, "not-the-secret"))).as("Keycloak refuses Voxdesk's sign-in").isEqualTo(502);
		assertThat(status(settings(null, null))).as("no admin credentials given").isEqualTo(503);
	}

	private static ServiceAccountsSettings settings(String adminUrl, String secret) {
		return new ServiceAccountsSettings("voxdesk-api", secret, adminUrl, "voxdesk-sa-", 20, Duration.ofSeconds(2));
	}

	private int status(ServiceAccountsSettings settings) {
		var keycloak = new KeycloakClientsAdapter(settings, KeycloakTestServer.issuer(), "voxdesk-api");
		try {
			keycloak.create("voxdesk-sa-never", "Never", tenant, Set.of("agent"));
		}
		catch (ErrorResponseException e) {
			assertThat(e.getBody().getDetail()).as("a message for a person").isNotBlank();
			return e.getStatusCode().value();
		}
		throw new AssertionError("Keycloak was reached with " + settings);
	}
}

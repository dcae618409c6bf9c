package io.voxdesk.extensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.when;

import java.util.Optional;
import java.util.UUID;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.web.ErrorResponseException;

/**
 * The extensions module against the real database: what saving publishes, the tenant's SIP defaults, unique
 * numbers per tenant, the line click-to-call rings, and refused values. The provider connections that suggest
 * the defaults belong to another module, so {@link SipDefaults} is stubbed here.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class ExtensionManagementTests {

	@Autowired
	ExtensionManagement extensions;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@MockitoBean
	SipDefaults sipDefaults;

	TenantId tenant;

	TenantId other;

	UserId ana = UserId.of(UUID.randomUUID().toString());

	UserId bruno = UserId.of(UUID.randomUUID().toString());

	UserId carla = UserId.of(UUID.randomUUID().toString());

	@BeforeEach
	void tenants() {
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("e", "Extensions");
		other = testTenants.create("x", "Other");
		when(sipDefaults.defaultsForCurrentTenant()).thenReturn(Optional.empty());
	}

	ExtensionDraft draft(String extension, String password) {
		return new ExtensionDraft(extension, password, null, "pbx.acme.example", "wss://pbx.acme.example:8089/ws",
				"Ana", true);
	}

	@Test
	void settingUpAnExtensionPublishesExtensionChangedWithoutThePassword(Scenario scenario) {
		scenario.stimulate(() -> context.callAs(tenant, () -> extensions.save(ana, draft("1001", "first-secret"))))
			.andWaitForEventOfType(ExtensionChanged.class)
			.matching(changed -> changed.tenantId().equals(tenant))
			.toArriveAndVerify((changed, saved) -> {
				assertThat(changed.userId()).isEqualTo(ana);
				assertThat(changed.extension()).isEqualTo("1001");
				assertThat(changed.change()).isEqualTo("created");
				assertThat(changed.toString()).doesNotContain("first-secret");
				assertThat(saved.passwordSet()).isTrue();
				assertThat(saved.username()).as("defaults to the extension").isEqualTo("1001");
			});
	}

	@Test
	void changingThePasswordAndTheActiveFlagPublishesWhatChanged(Scenario scenario) {
		context.runAs(tenant, () -> extensions.save(ana, draft("1001", "first-secret")));

		scenario.stimulate(() -> context.callAs(tenant, () -> extensions.save(ana,
				new ExtensionDraft("1001", "second-secret", null, "pbx.acme.example", "wss://pbx.acme.example:8089/ws",
						"Ana", false))))
			.andWaitForEventOfType(ExtensionChanged.class)
			.matching(changed -> changed.tenantId().equals(tenant) && changed.change().equals("password-changed"))
			.toArriveAndVerify(changed -> {
				assertThat(changed.actor()).isEqualTo(Actor.SYSTEM);
				assertThat(changed.toString()).doesNotContain("second-secret");
			});
		scenario.stimulate(() -> context.callAs(tenant, () -> extensions.save(ana, ExtensionDraft.of("1001", true))))
			.andWaitForEventOfType(ExtensionChanged.class)
			.matching(changed -> changed.tenantId().equals(tenant) && changed.change().equals("activated"))
			.toArriveAndVerify((changed, saved) -> assertThat(saved.passwordSet())
				.as("a draft without a password keeps the stored one")
				.isTrue());
	}

	@Test
	void aMissingDomainAndWebsocketServerTakeTheTenantsDefaultsAndGivenOnesWin() {
		when(sipDefaults.defaultsForCurrentTenant())
			.thenReturn(Optional.of(new SipServer("acme.api4com.com", "wss://acme.api4com.com:6443", "api4com")));

		var defaulted = context.callAs(tenant, () -> extensions.save(ana, ExtensionDraft.of("1001", true)));
		var given = context.callAs(tenant, () -> extensions.save(bruno, new ExtensionDraft("1002", null, "bruno",
				"sip.acme.example", "ws://sip.acme.example:8088/ws", null, true)));

		assertThat(defaulted.domain()).isEqualTo("acme.api4com.com");
		assertThat(defaulted.websocketUrl()).isEqualTo("wss://acme.api4com.com:6443");
		assertThat(given.domain()).isEqualTo("sip.acme.example");
		assertThat(given.websocketUrl()).isEqualTo("ws://sip.acme.example:8088/ws");
		assertThat(given.username()).isEqualTo("bruno");
		assertThat(context.callAs(tenant, () -> extensions.defaults())).map(SipServer::source).contains("api4com");
	}

	@Test
	void anExtensionNumberBelongsToOneUserOfATenantAndOtherTenantsAreIndependent() {
		context.runAs(tenant, () -> extensions.save(ana, draft("1001", "ana-secret")));

		assertThatThrownBy(() -> context.runAs(tenant, () -> extensions.save(bruno, draft("1001", "bruno-secret"))))
			.isInstanceOf(ExtensionTakenException.class)
			.hasMessageContaining("belongs to another user");
		var foreign = context.callAs(other, () -> extensions.save(carla, draft("1001", "carla-secret")));

		assertThat(foreign.extension()).isEqualTo("1001");
		assertThat(context.callAs(tenant, () -> extensions.list())).extracting(ExtensionSummary::user).containsExactly(ana);
		assertThat(context.callAs(other, () -> extensions.list())).extracting(ExtensionSummary::user).containsExactly(carla);
		assertThat(context.callAs(other, () -> extensions.find(ana))).as("another tenant's user is not there").isEmpty();
		assertThat(context.callAs(tenant, () -> extensions.find(ana))).map(ExtensionDetails::passwordSet).contains(true);
	}

	@Test
	void clickToCallGetsTheActiveLineOnly() {
		context.runAs(tenant, () -> {
			extensions.save(ana, draft("1001", "ana-secret"));
			extensions.save(bruno, ExtensionDraft.of("1002", false));
		});

		assertThat(context.callAs(tenant, () -> extensions.activeLineOf(ana)))
			.contains(new AgentLine(ana, "1001", "1001", "pbx.acme.example"));
		assertThat(context.callAs(tenant, () -> extensions.activeLineOf(bruno))).isEmpty();
		assertThat(context.callAs(tenant, () -> extensions.activeLineOf(carla))).isEmpty();
		assertThat(context.callAs(other, () -> extensions.activeLineOf(ana))).isEmpty();
	}

	@Test
	void invalidValuesAreRefusedNamingTheFieldAndChangeNothing() {
		context.runAs(tenant, () -> extensions.save(ana, draft("1001", "ana-secret")));

		assertRefused(new ExtensionDraft("10 01", null, null, null, null, null, true), "extension");
		assertRefused(new ExtensionDraft("1".repeat(41), null, null, null, null, null, true), "extension");
		assertRefused(new ExtensionDraft("1001", null, null, null, "ftp://pbx.acme.example/ws", null, true),
				"websocketUrl");
		assertRefused(new ExtensionDraft("1001", null, null, null, "wss://:8089/ws", null, true), "websocketUrl");
		assertRefused(new ExtensionDraft("1001", null, null, "pbx acme", null, null, true), "domain");
		assertRefused(new ExtensionDraft("1001", "x".repeat(129), null, null, null, null, true), "password");
		assertRefused(new ExtensionDraft("1001", null, null, null, null, "Ana\u0000", true), "displayName");
		assertThat(context.callAs(tenant, () -> extensions.find(ana))).map(ExtensionDetails::domain)
			.contains("pbx.acme.example");
	}

	void assertRefused(ExtensionDraft draft, String field) {
		assertThatThrownBy(() -> context.runAs(tenant, () -> extensions.save(ana, draft)))
			.isInstanceOfSatisfying(ErrorResponseException.class, ex -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(400);
				assertThat(ex.getBody().getProperties()).extractingByKey("errors")
					.asString()
					.contains("field=" + field);
			});
	}
}

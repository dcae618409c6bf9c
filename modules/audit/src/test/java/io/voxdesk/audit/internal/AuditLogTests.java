package io.voxdesk.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.voxdesk.calls.ProviderConnectionChanged;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.extensions.ExtensionChanged;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantCreated;
import io.voxdesk.tenants.TenantDeactivated;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.webhooks.WebhookEndpointDisabled;
import io.voxdesk.webhooks.WebhookEndpointId;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class AuditLogTests {

	static final Actor PLATFORM_ADMIN = new Actor("3f1c0a52-0000-4000-8000-000000000001", "platform");

	@Autowired
	AuditEntries entries;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void aCreatedTenantIsAuditedWithWhoWhenAndWhat(Scenario scenario) {
		var tenant = newTenant();
		var at = Instant.now().truncatedTo(ChronoUnit.MICROS);

		scenario.publish(new TenantCreated(tenant, PLATFORM_ADMIN, at))
			.andWaitForStateChange(() -> entriesOf(tenant), list -> !list.isEmpty())
			.andVerify(list -> {
				assertThat(list).singleElement().satisfies(entry -> {
					assertThat(entry.action()).isEqualTo("tenant.created");
					assertThat(entry.actor()).isEqualTo(PLATFORM_ADMIN);
					assertThat(entry.occurredAt()).isEqualTo(at);
					assertThat(entry.targetId()).isEqualTo(tenant.value());
				});
			});
	}

	@Test
	void aProviderConnectionChangeIsAuditedWithoutItsSettingsOrSecret(Scenario scenario) {
		var tenant = newTenant();
		var connection = ProviderConnectionId.of(UUID.randomUUID());
		var at = Instant.now().truncatedTo(ChronoUnit.MICROS);
		var admin = new Actor("3f1c0a52-0000-4000-8000-000000000002", "acme-admin");

		scenario.publish(new ProviderConnectionChanged(tenant, connection, ProviderKind.of("asterisk"), "Main PBX",
				"secret-changed", admin, at))
			.andWaitForStateChange(() -> entriesOf(tenant), list -> !list.isEmpty())
			.andVerify(list -> assertThat(list).singleElement().satisfies(entry -> {
				assertThat(entry.action()).isEqualTo("provider-connection.secret-changed");
				assertThat(entry.actor()).isEqualTo(admin);
				assertThat(entry.targetType()).isEqualTo("provider-connection");
				assertThat(entry.targetId()).isEqualTo(connection.toString());
				assertThat(entry.summary()).isEqualTo("asterisk connection 'Main PBX' secret changed");
			}));
	}

	@Test
	void aWebhookEndpointDisabledByVoxdeskIsAuditedWithItsHostOnly(Scenario scenario) {
		var tenant = newTenant();
		var endpoint = WebhookEndpointId.of(UUID.randomUUID());
		var at = Instant.now().truncatedTo(ChronoUnit.MICROS);

		scenario.publish(new WebhookEndpointDisabled(tenant, endpoint, "crm.example",
				"Every delivery failed from yesterday until now", at))
			.andWaitForStateChange(() -> entriesOf(tenant), list -> !list.isEmpty())
			.andVerify(list -> assertThat(list).singleElement().satisfies(entry -> {
				assertThat(entry.action()).isEqualTo("webhook-endpoint.disabled");
				assertThat(entry.actor()).isEqualTo(Actor.SYSTEM);
				assertThat(entry.targetId()).isEqualTo(endpoint.toString());
				assertThat(entry.summary()).isEqualTo("Webhook endpoint on crm.example disabled by Voxdesk: "
						+ "Every delivery failed from yesterday until now");
			}));
	}

	@Test
	void anExtensionChangeIsAuditedAsItsOwnersAction(Scenario scenario) {
		var tenant = newTenant();
		var owner = new Actor("3f1c0a52-0000-4000-8000-000000000003", "acme-agent");
		var at = Instant.now().truncatedTo(ChronoUnit.MICROS);

		scenario.publish(new ExtensionChanged(tenant, UserId.of(owner.subject()), "1001", "password-changed", owner, at))
			.andWaitForStateChange(() -> entriesOf(tenant), list -> !list.isEmpty())
			.andVerify(list -> assertThat(list).singleElement().satisfies(entry -> {
				assertThat(entry.action()).isEqualTo("extension.password-changed");
				assertThat(entry.actor()).isEqualTo(owner);
				assertThat(entry.targetType()).isEqualTo("extension");
				assertThat(entry.targetId()).isEqualTo(owner.subject());
				assertThat(entry.summary()).isEqualTo("extension 1001 password changed");
			}));
	}

	@Test
	void anEventDeliveredTwiceIsAuditedOnce(Scenario scenario) {
		var tenant = newTenant();
		var event = new TenantDeactivated(tenant, PLATFORM_ADMIN, Instant.now().truncatedTo(ChronoUnit.MICROS));

		scenario.publish(event).andWaitForStateChange(() -> entriesOf(tenant), list -> !list.isEmpty());
		scenario.publish(event)
			.andWaitForStateChange(() -> completedPublicationsOf(tenant), count -> count >= 2)
			.andVerify(count -> assertThat(entriesOf(tenant)).hasSize(1));
	}

	@Test
	void theAuditLogIsAppendOnlyEvenForTheApplicationsOwnConnection(Scenario scenario) {
		var tenant = newTenant();
		scenario.publish(new TenantCreated(tenant, PLATFORM_ADMIN, Instant.now()))
			.andWaitForStateChange(() -> entriesOf(tenant), list -> !list.isEmpty());

		assertThatThrownBy(() -> context.runAsPlatform(() -> transactions.executeWithoutResult(status -> jdbc
			.sql("update audit_entries set summary = 'nothing happened' where tenant_id = ?")
			.param(tenant.value())
			.update()))).rootCause().hasMessageContaining("permission denied");
		assertThatThrownBy(() -> context.runAsPlatform(() -> transactions.executeWithoutResult(status -> jdbc
			.sql("delete from audit_entries where tenant_id = ?")
			.param(tenant.value())
			.update()))).rootCause().hasMessageContaining("permission denied");
	}

	@Test
	void aTenantScopeReadsOnlyItsOwnEntries(Scenario scenario) {
		var mine = newTenant();
		var other = newTenant();
		scenario.publish(new TenantCreated(other, PLATFORM_ADMIN, Instant.now()))
			.andWaitForStateChange(() -> entriesOf(other), list -> !list.isEmpty());
		scenario.publish(new TenantCreated(mine, PLATFORM_ADMIN, Instant.now()))
			.andWaitForStateChange(() -> entriesOf(mine), list -> !list.isEmpty());
		var foreignId = entriesOf(other).getFirst().id().value();

		assertThat(context.callAs(mine, () -> entries.findById(foreignId))).isEmpty();
		assertThat(context.callAs(mine, () -> entries.findAll(Pageable.unpaged()).map(AuditEntry::toDetails)))
			.allSatisfy(entry -> assertThat(entry.tenantId()).isEqualTo(mine));
	}

	private List<AuditEntryDetails> entriesOf(TenantId tenant) {
		return context.callAsPlatform(() -> entries.findByTenantId(tenant.value(), Pageable.unpaged())
			.map(AuditEntry::toDetails)
			.toList());
	}

	private long completedPublicationsOf(TenantId tenant) {
		return jdbc.sql("select count(*) from event_publication where completion_date is not null "
				+ "and serialized_event like ?")
			.param("%\"" + tenant.value() + "\"%")
			.query(Long.class)
			.single();
	}

	private static TenantId newTenant() {
		return TestTenants.freshId("t");
	}
}

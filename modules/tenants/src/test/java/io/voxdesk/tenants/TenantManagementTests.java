package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

@ApplicationModuleTest(webEnvironment = org.springframework.boot.test.context.SpringBootTest.WebEnvironment.NONE)
class TenantManagementTests {

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	static TenantId newTenantId() {
		return TenantId.of("t-" + UUID.randomUUID().toString().substring(0, 8));
	}

	@Test
	void creatingATenantPublishesTenantCreated(Scenario scenario) {
		var id = newTenantId();
		scenario.stimulate(() -> context.callAsPlatform(() -> tenants.create(id, "Acme Telecom")))
			.andWaitForEventOfType(TenantCreated.class)
			.matching(event -> event.tenantId().equals(id))
			.toArriveAndVerify(event -> assertThat(event.actor()).isEqualTo(Actor.SYSTEM));

		var found = context.callAsPlatform(() -> tenants.find(id)).orElseThrow();
		assertThat(found.name()).isEqualTo("Acme Telecom");
		assertThat(found.status()).isEqualTo(TenantStatus.ACTIVE);
	}

	@Test
	void deactivatingPublishesTenantDeactivatedAndReactivatingPublishesTenantReactivated(Scenario scenario) {
		var id = newTenantId();
		context.runAsPlatform(() -> tenants.create(id, "Globex"));

		scenario.stimulate(() -> context.callAsPlatform(() -> tenants.deactivate(id)))
			.andWaitForEventOfType(TenantDeactivated.class)
			.matching(event -> event.tenantId().equals(id))
			.toArriveAndVerify(event -> assertThat(context.callAsPlatform(() -> tenants.find(id)).orElseThrow().isActive())
				.isFalse());

		scenario.stimulate(() -> context.callAsPlatform(() -> tenants.reactivate(id)))
			.andWaitForEventOfType(TenantReactivated.class)
			.matching(event -> event.tenantId().equals(id))
			.toArriveAndVerify(event -> assertThat(context.callAsPlatform(() -> tenants.find(id)).orElseThrow().isActive())
				.isTrue());
	}

	@Test
	void aTenantIdIsNeverReused() {
		var id = newTenantId();
		context.runAsPlatform(() -> tenants.create(id, "First"));

		assertThatThrownBy(() -> context.runAsPlatform(() -> tenants.create(id, "Second")))
			.isInstanceOf(TenantAlreadyExistsException.class);
	}

	@Test
	void aTenantScopeSeesOnlyItsOwnTenant() {
		var mine = newTenantId();
		var other = newTenantId();
		context.runAsPlatform(() -> {
			tenants.create(mine, "Mine");
			tenants.create(other, "Other");
		});

		assertThat(context.callAs(mine, () -> tenants.find(other))).isEmpty();
		assertThat(context.callAs(mine, () -> tenants.find(mine))).isPresent();
		assertThat(context.callAs(mine, () -> tenants.list(PageRequest.of(0, 1000))).map(TenantDetails::id))
			.containsExactly(mine);
	}

	@Test
	void backgroundWorkWithoutATenantFailsLoudly() {
		assertThatThrownBy(() -> tenants.find(newTenantId())).isInstanceOf(NoTenantBoundException.class)
			.hasMessageContaining("TenantContext.runAs");
		assertThatThrownBy(() -> context.currentTenant()).isInstanceOf(NoTenantBoundException.class);
	}
}

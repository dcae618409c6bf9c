package io.voxdesk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.domain.PageRequest;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

/**
 * The do-not-call list against the real database (issue 17, point 8): one entry per number whatever its spelling,
 * adding twice changes nothing, CSV imports from spreadsheets (Windows-1252, semicolons, a header, bad rows reported
 * by row), what is announced, and one tenant's list never seen by another.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class DoNotCallListTests {

	@Autowired
	DoNotCallList list;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	TenantId tenant;

	TenantId other;

	@BeforeEach
	void tenants() {
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("dn", "Do not call");
		other = testTenants.create("dx", "Other");
	}

	@Test
	void aNumberIsListedOnceWhateverItsSpellingAndTheChangeIsAnnounced(Scenario scenario) {
		scenario.stimulate(() -> context.callAs(tenant, () -> list.add("(48) 3332-8530", DoNotCallSource.MANUAL,
				"asked\nby phone")))
			.andWaitForEventOfType(DoNotCallChanged.class)
			.matching(changed -> changed.tenantId().equals(tenant))
			.toArriveAndVerify((changed, added) -> {
				assertThat(changed.change()).isEqualTo("added");
				assertThat(changed.subject()).isEqualTo("+554833328530");
				assertThat(added.created()).isTrue();
				assertThat(added.entry().number()).isEqualTo("+554833328530");
				assertThat(added.entry().note()).as("control characters dropped").isEqualTo("asked by phone");
				assertThat(added.entry().source()).isEqualTo(DoNotCallSource.MANUAL);
			});

		var again = context.callAs(tenant, () -> list.add("+55 48 3332 8530", DoNotCallSource.OPT_OUT, null));
		assertThat(again.created()).isFalse();
		assertThat(again.entry().source()).as("the first entry stands").isEqualTo(DoNotCallSource.MANUAL);
		assertThat(context.callAs(tenant, () -> list.find("048 3332-8530"))).isPresent();
		assertThat(context.callAs(tenant, () -> list.find("not a number"))).isEmpty();
		assertThat(context.callAs(tenant, () -> list.list(PageRequest.of(0, 10))).getTotalElements()).isEqualTo(1);

		assertThat(context.callAs(tenant, () -> list.remove("(48) 3332-8530"))).isTrue();
		assertThat(context.callAs(tenant, () -> list.remove("(48) 3332-8530"))).isFalse();
		assertThat(context.callAs(tenant, () -> list.find("+554833328530"))).isEmpty();
	}

	@Test
	void aSpreadsheetsCsvIsImportedAndItsBadRowsReportedByRow() {
		context.runAs(tenant, () -> list.add("(11) 98765-4321", DoNotCallSource.MANUAL, null));
		var csv = """
				Nome;Telefone;Cidade
				João Lima;(48) 3332-8530;Florianópolis
				Maria;(11) 98765-4321;São Paulo
				Zé;não tem;Itajaí
				Ana;+55 48 99999-0000;Blumenau
				Sem número;;Joinville
				""";

		var report = context.callAs(tenant, () -> list.importCsv(new ByteArrayInputStream(
				csv.getBytes(Charset.forName("windows-1252")))));

		assertThat(report.added()).isEqualTo(2);
		assertThat(report.alreadyListed()).isEqualTo(1);
		assertThat(report.rejected()).extracting(DoNotCallImport.Rejected::row, DoNotCallImport.Rejected::value)
			.containsExactly(tuple(4, "não tem"), tuple(6, ""));
		assertThat(context.callAs(tenant, () -> list.find("+5548999990000"))).get()
			.extracting(DoNotCallEntry::source)
			.isEqualTo(DoNotCallSource.IMPORT);

		var plain = context.callAs(tenant, () -> list.importCsv(new ByteArrayInputStream(
				"(47) 3333-1111\n(47) 3333-2222\n".getBytes(StandardCharsets.UTF_8))));
		assertThat(plain.added()).as("no header: every line a number").isEqualTo(2);
	}

	@Test
	void anotherTenantNeitherSeesNorRemovesTheNumbers() {
		context.runAs(tenant, () -> list.add("(48) 3332-8530", DoNotCallSource.MANUAL, null));

		assertThat(context.callAs(other, () -> list.find("(48) 3332-8530"))).isEmpty();
		assertThat(context.callAs(other, () -> list.list(PageRequest.of(0, 10))).getTotalElements()).isZero();
		assertThat(context.callAs(other, () -> list.remove("(48) 3332-8530"))).isFalse();
		assertThat(context.callAs(other, () -> list.add("(48) 3332-8530", DoNotCallSource.MANUAL, null)).created())
			.as("each tenant has its own list").isTrue();

		assertThat(context.callAs(tenant, () -> list.find("(48) 3332-8530"))).isPresent();
	}

	@Test
	void somethingThatIsNoNumberIsRefusedByName() {
		assertThatThrownBy(() -> context.callAs(tenant, () -> list.add("call me maybe", DoNotCallSource.MANUAL, null)))
			.isInstanceOf(InvalidPhoneNumberException.class);
	}
}

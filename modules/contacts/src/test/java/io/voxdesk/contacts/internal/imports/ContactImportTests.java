package io.voxdesk.contacts.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.ContactPhone;
import io.voxdesk.contacts.ContactsImported;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class ContactImportTests {

	@Autowired
	ContactImportService service;

	@Autowired
	ContactImportJob job;

	@Autowired
	ContactImports imports;

	@Autowired
	ContactManagement contacts;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TenantId tenant;

	@BeforeEach
	void tenant() {
		tenant = new TestTenants(tenants, context).create("i", "Importer");
	}

	static final String MIXED = """
			name,phone,email,custom1,tags,notes
			Maria Souza,(48) 3332-8530,maria@example.com,Gold,vip|lead,ignored
			"Lima, João","(11) 98765-4321 | (11) 3333-4444",,,,
			,(21) 2222-3333,,,,
			Pedro,12,pedro@,,,
			Ana,(48) 3332-8530,,,,
			"Bia ""B"" Costa",(21) 99999-8888,bia@example.com,,,
			""";

	@Test
	void goodRowsLandAndBadRowsAreReportedWithRowColumnAndReason(Scenario scenario) {
		scenario.stimulate(() -> context.callAs(tenant, () -> service.submit("mixed.csv", utf8(MIXED), "")))
			.andWaitForEventOfType(ContactsImported.class)
			.matching(event -> event.tenantId().equals(tenant))
			.toArriveAndVerify((event, importId) -> {
				assertThat(event.imported()).isEqualTo(3);
				assertThat(event.rejected()).isEqualTo(3);
			});

		var state = state();
		assertThat(state.status()).isEqualTo("COMPLETED");
		assertThat(state.rowsTotal()).isEqualTo(6);
		assertThat(state.rowsRead()).isEqualTo(6);
		assertThat(state.columns()).isEqualTo("name=name;phone=phone;email=email;custom1=custom1;tags=tags");
		assertThat(context.callAs(tenant, () -> imports.errors(state.id())))
			.extracting(e -> e.row() + "|" + e.column() + "|" + e.reason())
			.containsExactly("4|name|the name is empty",
					"5|email|'pedro@' is not an email address",
					"5|phone|'12' is not a valid phone number: it has the wrong length or an unassigned prefix for region BR",
					"6|phone|the number +554833328530 already appears in row 2");

		var lima = find("+5511987654321");
		assertThat(lima.name()).isEqualTo("Lima, João");
		assertThat(lima.phones()).extracting(ContactPhone::e164).containsExactly("+5511987654321", "+551133334444");
		var maria = find("+554833328530");
		assertThat(maria.email()).isEqualTo("maria@example.com");
		assertThat(maria.customFields().getFirst()).isEqualTo("Gold");
		assertThat(maria.tags()).containsExactly("vip", "lead");
		assertThat(find("+5521999998888").name()).isEqualTo("Bia \"B\" Costa");
	}

	@Test
	void importingTheSameFileTwiceCreatesNoDuplicates() {
		importNow("a.csv", utf8(MIXED), "");
		var afterFirst = count();

		importNow("a.csv", utf8(MIXED), "");

		assertThat(afterFirst).isEqualTo(3);
		assertThat(count()).isEqualTo(afterFirst);
		assertThat(find("+5511987654321").phones()).hasSize(2);
	}

	@Test
	void windows1252WithSemicolonsAndPortugueseHeadersIsRead() {
		var file = "Nome;Telefone;E-mail;Campo 2\nJosé Conceição;048 3332 8530;jose@example.com;Açaí\n";

		importNow("pt.csv", file.getBytes(Charset.forName("windows-1252")), "");

		var state = state();
		assertThat(state.charset()).isEqualTo("windows-1252");
		assertThat(state.delimiter()).isEqualTo(";");
		var jose = find("+554833328530");
		assertThat(jose.name()).isEqualTo("José Conceição");
		assertThat(jose.customFields().get(1)).isEqualTo("Açaí");
	}

	@Test
	void brokenQuotingRejectsOnlyTheBrokenRows() {
		var file = "name,phone\n\"Unclosed, (48) 3332-8530\nok,(11) 98765-4321\n";
		var trailing = "name,phone\n\"Quoted\" trailing,(48) 3332-8530\nGood One,(11) 98765-4321\n";

		importNow("t.csv", utf8(trailing), "");
		assertThat(context.callAs(tenant, () -> imports.errors(state().id()))).singleElement()
			.satisfies(e -> assertThat(e.reason()).contains("text follows a closing quote"));
		assertThat(find("+5511987654321").name()).isEqualTo("Good One");

		importNow("u.csv", utf8(file), "");
		assertThat(context.callAs(tenant, () -> imports.errors(state().id()))).singleElement()
			.satisfies(e -> assertThat(e.reason()).isEqualTo("a quoted field is never closed"));
	}

	@Test
	void rowsWithBadBytesAreReportedOneByOneAndTheRestIsImported() {
		var file = "name,phone,email,custom1\n"
				+ "Nul\u0000Name,(48) 3332-8530,,\n"
				+ "Good One,(11) 98765-4321,,\n"
				+ "Nul Custom,(21) 2222-3333,,a\u0000b\n"
				+ "Bell\u0007,(21) 99999-8888,,\n"
				+ "Good Two,(31) 3333-2222,,\n";

		importNow("nul.csv", utf8(file), "");

		var state = state();
		assertThat(state.status()).as(String.valueOf(state.failure())).isEqualTo("COMPLETED");
		assertThat(state.rowsImported()).isEqualTo(2);
		assertThat(state.rowsRejected()).isEqualTo(3);
		assertThat(context.callAs(tenant, () -> imports.errors(state.id())))
			.extracting(e -> e.row() + "|" + e.column() + "|" + e.reason())
			.containsExactly("2|name|the value contains a control character (U+0000), which cannot be stored",
					"4|custom1|the value contains a control character (U+0000), which cannot be stored",
					"5|name|the value contains a control character (U+0007), which cannot be stored");
		assertThat(find("+5511987654321").name()).isEqualTo("Good One");
		assertThat(find("+553133332222").name()).isEqualTo("Good Two");
		assertThat(find("+554833328530")).isNull();
	}

	@Test
	void filesThatCannotBeImportedAreRefusedUpFront() {
		assertThatThrownBy(() -> context.runAs(tenant, () -> service.submit("h.csv", utf8("name,phone\n"), "")))
			.hasMessage("The file has a header but no data rows.");
		assertThatThrownBy(() -> context.runAs(tenant, () -> service.submit("e.csv", new byte[0], "")))
			.hasMessage("The file is empty.");
		assertThatThrownBy(() -> context.runAs(tenant, () -> service.submit("n.csv", utf8("phone\n(48) 3332-8530\n"), "")))
			.hasMessageContaining("No column holds the contact's name");
		assertThatThrownBy(() -> context.runAs(tenant, () -> service.submit("m.csv", utf8("x,y\na,b\n"), "x=nmae")))
			.hasMessageContaining("'nmae', which is not a contact field");
		assertThat(context.callAs(tenant, () -> imports.recent(10))).isEmpty();
	}

	@Test
	void anExplicitMappingFeedsFieldsFromAnyHeader() {
		importNow("x.csv", utf8("Cliente,Contato principal\nLoja Azul,(48) 3332-8530\n"), "Cliente=name;Contato principal=phone");

		assertThat(find("+554833328530").name()).isEqualTo("Loja Azul");
	}

	@Test
	void aResumedImportContinuesAfterItsLastCommittedBatch() {
		var rows = new StringBuilder("name,phone\n");
		for (var i = 0; i < ContactImportJob.BATCH + 500; i++) {
			rows.append("Person ").append(i).append(",(11) 9").append(String.format("%04d", i / 10_000 + 1000))
				.append('-').append(String.format("%04d", i % 10_000)).append('\n');
		}
		var id = UUID.randomUUID();
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> {
			imports.create(id, tenant, "big.csv", utf8(rows.toString()), "name=name;phone=phone",
					ContactImportJob.BATCH + 500, "test", java.time.Instant.now());
			jdbc.sql("update contact_imports set status = 'RUNNING', rows_read = ? where id = ?")
				.params(ContactImportJob.BATCH, id)
				.update();
		}));

		context.runAs(tenant, () -> job.run(tenant, id));

		var state = state();
		assertThat(state.status()).isEqualTo("COMPLETED");
		assertThat(state.rowsImported()).isEqualTo(500);
		assertThat(count()).as("only the rows after the checkpoint were imported by this run").isEqualTo(500);
		assertThat(find("+5511910000000")).as("row 2, before the checkpoint").isNull();
	}

	@Test
	void theImportRunsInTheBackgroundAfterTheUploadCommits() {
		var id = context.callAs(tenant, () -> service.submit("bg.csv", utf8(MIXED), ""));

		await().atMost(Duration.ofSeconds(20))
			.until(() -> context.callAs(tenant, () -> imports.find(id).orElseThrow().status()), "COMPLETED"::equals);
		assertThat(count()).isEqualTo(3);
	}

	@Test
	void onlyOneRunnerWorksOnAnImportAtATime() {
		var id = context.callAs(tenant, () -> service.submit("twice.csv", utf8(MIXED), ""));
		// Besides the background runner the upload started: a runner that finds the import in other hands fails, so
		// that its event publication stays unfinished (handed back later) rather than count as done.
		for (var attempt = 0; attempt < 2; attempt++) {
			try {
				context.runAs(tenant, () -> job.run(tenant, id));
			}
			catch (ContactImportJob.ImportRunningElsewhere refused) {
				assertThat(refused).hasMessageContaining(id.toString());
			}
		}

		await().atMost(Duration.ofSeconds(20))
			.until(() -> context.callAs(tenant, () -> imports.find(id).orElseThrow().status()), "COMPLETED"::equals);
		var state = context.callAs(tenant, () -> imports.find(id).orElseThrow());
		assertThat(state.rowsRead()).isEqualTo(6);
		assertThat(state.rowsImported() + state.rowsRejected()).isEqualTo(6);
		assertThat(context.callAs(tenant, () -> imports.errors(id))).hasSize(4);
	}

	/**
	 * The import looks a batch's numbers up, then inserts them without {@code on conflict}: a number another
	 * transaction stores in between (an agent saving a contact) fails the batch, which is stored again from the
	 * look-up, as if the agent had saved first: the row merges into the agent's contact. The moment is made certain:
	 * a trigger holds the import's insert of the row's contact (after the look-up, before the numbers) until the
	 * agent's contact is committed.
	 */
	@Test
	void aNumberStoredByAnotherTransactionDuringTheBatchIsMergedIntoLikeAnyOther() throws Exception {
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("""
					create or replace function contact_import_race() returns trigger language plpgsql as $$
					begin
					  if new.tenant_id = '%s' and new.name = 'Racer' then
					    perform pg_sleep(5);
					  end if;
					  return new;
					end $$""".formatted(tenant.value()));
			statement.execute("create trigger contact_import_race after insert on contacts for each row "
					+ "execute function contact_import_race()");
			try {
				var id = context.callAs(tenant, () -> service.submit("race.csv", utf8("""
						name,phone
						Racer,(48) 99999-0001 | (48) 99999-0002
						Bystander,(48) 99999-0003
						"""), ""));
				await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
						"select count(*) from pg_stat_activity where wait_event = 'PgSleep' and query like '%insert into contacts%'")
					.query(Long.class)
					.single() == 1);
				var agentsContact = context.callAs(tenant, () -> contacts.create(new ContactDraft("Saved by an agent",
						java.util.List.of(new ContactDraft.PhoneDraft("(48) 99999-0001", null)), null,
						java.util.List.of(), java.util.List.of())));
				await().atMost(Duration.ofSeconds(20))
					.until(() -> context.callAs(tenant, () -> imports.find(id).orElseThrow().status()),
							status -> status.equals("COMPLETED") || status.equals("FAILED"));

				var state = state();
				assertThat(state.status()).isEqualTo("COMPLETED");
				assertThat(state.rowsImported()).isEqualTo(2);
				var racer = find("+5548999990002");
				assertThat(racer.id()).isEqualTo(agentsContact.id());
				assertThat(racer.name()).isEqualTo("Racer");
				assertThat(racer.phones()).extracting(ContactPhone::e164).containsExactly("+5548999990001", "+5548999990002");
				assertThat(find("+5548999990003").name()).isEqualTo("Bystander");
				assertThat(count()).isEqualTo(2);
			}
			finally {
				statement.execute("drop trigger contact_import_race on contacts");
				statement.execute("drop function contact_import_race()");
			}
		}
	}

	private void importNow(String name, byte[] content, String mapping) {
		var id = context.callAs(tenant, () -> service.submit(name, content, mapping));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> context.callAs(tenant, () -> imports.find(id).orElseThrow().status()),
					status -> status.equals("COMPLETED") || status.equals("FAILED"));
	}

	private ContactImports.ImportState state() {
		return context.callAs(tenant, () -> imports.recent(1).getFirst());
	}

	private long count() {
		return context.callAs(tenant, () -> contacts.search("", PageRequest.of(0, 1)).getTotalElements());
	}

	private ContactDetails find(String e164) {
		return context.callAs(tenant, () -> contacts.findByPhone(e164).orElse(null));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}

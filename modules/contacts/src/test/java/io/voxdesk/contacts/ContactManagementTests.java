package io.voxdesk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.voxdesk.contacts.ContactDraft.PhoneDraft;
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
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class ContactManagementTests {

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

	TenantId other;

	@BeforeEach
	void tenants() {
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("c", "Contacts");
		other = testTenants.create("o", "Other", "US");
	}

	static ContactDraft draft(String name, String... numbers) {
		return new ContactDraft(name, java.util.Arrays.stream(numbers).map(n -> new PhoneDraft(n, null)).toList(), null,
				List.of(), List.of());
	}

	@Test
	void creatingAContactStoresE164AndThePublishesContactCreated(Scenario scenario) {
		scenario.stimulate(() -> context.callAs(tenant, () -> contacts.create(new ContactDraft(" Maria Souza ",
				List.of(new PhoneDraft("(48) 3332-8530", "office")), "maria@example.com",
				List.of("gold", "", "note"), List.of("vip", "vip", " lead ")))))
			.andWaitForEventOfType(ContactCreated.class)
			.matching(event -> event.tenantId().equals(tenant))
			.toArriveAndVerify((event, created) -> {
				assertThat(event.contactId()).isEqualTo(created.id());
				assertThat(created.name()).isEqualTo("Maria Souza");
				assertThat(created.phones()).containsExactly(new ContactPhone("+554833328530", "(48) 3332-8530", "office"));
				assertThat(created.customFields()).containsExactly("gold", null, "note", null, null);
				assertThat(created.tags()).containsExactly("vip", "lead");
			});
	}

	/**
	 * Calls from a number nobody has yet, arriving together (an office line placing several calls at once, recorded
	 * side by side): each finds or creates the same one contact, and none fails on the number's uniqueness.
	 */
	@Test
	void callsFromANewNumberArrivingTogetherFindOneContact() throws Exception {
		var pool = Executors.newFixedThreadPool(6);
		try {
			for (var number : List.of("(48) 3332-8531", "(48) 3332-8532", "(48) 3332-8533", "(48) 3332-8534")) {
				var start = new CountDownLatch(1);
				var found = new ArrayList<Future<ContactDetails>>();
				for (var n = 0; n < 6; n++) {
					found.add(pool.submit(() -> {
						start.await();
						return context.callAs(tenant,
								() -> transactions.execute(status -> contacts.findOrCreateByPhone(number, number)));
					}));
				}
				start.countDown();
				var ids = new HashSet<ContactId>();
				for (var future : found) {
					ids.add(future.get(30, TimeUnit.SECONDS).id());
				}
				assertThat(ids).as("contacts for " + number).hasSize(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aLookupInAnyCommonFormatFindsTheSameContact() {
		var created = context.callAs(tenant, () -> contacts.create(draft("João", "(48) 3332-8530")));

		for (var spelling : List.of("048 3332 8530", "+55 48 3332-8530", "4833328530", "+554833328530")) {
			assertThat(context.callAs(tenant, () -> contacts.findByPhone(spelling))).as(spelling)
				.map(ContactDetails::id)
				.contains(created.id());
		}
		assertThat(context.callAs(tenant, () -> contacts.findByPhone("(48) 3332-8531"))).isEmpty();
	}

	@Test
	void aNumberBelongsToOneContact() {
		var first = context.callAs(tenant, () -> contacts.create(draft("First", "(48) 3332-8530")));

		assertThatThrownBy(() -> context.callAs(tenant, () -> contacts.create(draft("Second", "048 3332 8530"))))
			.isInstanceOfSatisfying(PhoneNumberTakenException.class,
					e -> assertThat(e.getBody().getDetail()).contains("+554833328530").contains(first.id().toString()));

		var found = context.callAs(tenant, () -> contacts.findOrCreateByPhone("+55 48 3332 8530", "Unknown caller"));
		assertThat(found.id()).isEqualTo(first.id());
		assertThat(context.callAs(tenant, () -> contacts.search("", PageRequest.of(0, 10))).getTotalElements())
			.isEqualTo(1);
	}

	@Test
	void editingKeepsNumbersItStillHasAndDropsTheOthers() {
		var created = context.callAs(tenant, () -> contacts.create(draft("Ana", "(48) 3332-8530", "(11) 98765-4321")));

		var edited = context.callAs(tenant, () -> contacts.update(created.id(),
				new ContactDraft("Ana Lima", List.of(new PhoneDraft("(11) 98765-4321", "mobile"),
						new PhoneDraft("(21) 2222-3333", null)), null, List.of(), List.of())));

		assertThat(edited.phones()).extracting(ContactPhone::e164).containsExactly("+5511987654321", "+552122223333");
		assertThat(context.callAs(tenant, () -> contacts.findByPhone("(48) 3332-8530"))).isEmpty();
		assertThat(context.callAs(tenant, () -> contacts.create(draft("Next owner", "(48) 3332-8530"))).phones())
			.hasSize(1);
	}

	@Test
	void searchFindsByNameEmailOrNumberFragmentAndPages() {
		context.runAs(tenant, () -> {
			contacts.create(new ContactDraft("Carla Mendes", List.of(new PhoneDraft("(48) 3332-8530", null)),
					"carla@acme.example", List.of(), List.of()));
			contacts.create(draft("Bruno Carvalho", "(11) 98765-4321"));
			contacts.create(draft("100% Real_Name", "(21) 2222-3333"));
		});
		var byName = PageRequest.of(0, 10, Sort.by("name"));

		assertThat(names(contacts("car", byName))).containsExactly("Bruno Carvalho", "Carla Mendes");
		assertThat(names(contacts("ACME.example", byName))).containsExactly("Carla Mendes");
		assertThat(names(contacts("3332-85", byName))).containsExactly("Carla Mendes");
		assertThat(names(contacts("%", byName))).containsExactly("100% Real_Name");
		assertThat(names(contacts("_", byName))).containsExactly("100% Real_Name");
		var firstPage = context.callAs(tenant, () -> contacts.search("", PageRequest.of(0, 2, Sort.by("name"))));
		assertThat(firstPage.getTotalElements()).isEqualTo(3);
		assertThat(names(firstPage.getContent())).containsExactly("100% Real_Name", "Bruno Carvalho");
	}

	@Test
	void anotherTenantNeitherFindsNorCollidesWithTheContact() {
		var mine = context.callAs(tenant, () -> contacts.create(draft("Mine", "+55 48 3332-8530")));

		assertThat(context.callAs(other, () -> contacts.find(mine.id()))).isEmpty();
		assertThat(context.callAs(other, () -> contacts.findByPhone("+554833328530"))).isEmpty();
		assertThat(context.callAs(other, () -> contacts.search("Mine", PageRequest.of(0, 10))).getContent()).isEmpty();
		assertThatThrownBy(() -> context.runAs(other, () -> contacts.update(mine.id(), draft("Stolen"))))
			.isInstanceOf(ContactNotFoundException.class);
		assertThat(context.callAs(other, () -> contacts.create(draft("Theirs", "+55 48 3332-8530"))).id())
			.as("the same number is free in another tenant")
			.isNotEqualTo(mine.id());

		var foreignRows = context.callAs(other, () -> transactions.execute(status -> jdbc
			.sql("select count(*) from contacts c join contact_phones p on p.contact_id = c.id where c.id = ?")
			.param(mine.id().value())
			.query(Long.class)
			.single()));
		assertThat(foreignRows).as("native SQL past the Hibernate filter").isZero();
	}

	@Test
	void theSearchOfALargeTenantUsesTheTenantScopedTrigramIndexes() throws Exception {
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("insert into contacts (id, tenant_id, name, email, created_at, updated_at, version) "
					+ "select gen_random_uuid(), case when i % 2 = 0 then '" + tenant + "' else '" + other + "' end, "
					+ "'Person ' || md5(i::text), md5(i::text) || '@example.com', now(), now(), 0 "
					+ "from generate_series(1, 40000) i");
			statement.execute("vacuum analyze contacts");
		}

		// contact_search runs as the table owner, so its query is planned without RLS: explain it the same way.
		var plan = new ArrayList<String>();
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("set app.tenant_id = '" + tenant + "'");
			try (var rows = statement.executeQuery("explain select id from contacts "
					+ "where tenant_id = current_setting('app.tenant_id', true) "
					+ "and (name ilike '%carla%' escape '!' or email ilike '%carla%' escape '!')")) {
				while (rows.next()) {
					plan.add(rows.getString(1));
				}
			}
		}
		var found = context.callAs(tenant, () -> contacts.search("carla", PageRequest.of(0, 10)));
		assertThat(found.getContent()).isEmpty();
		assertThat(String.join("\n", plan)).contains("Bitmap Index Scan on contacts_name_trgm_idx")
			.contains("Bitmap Index Scan on contacts_email_trgm_idx")
			.doesNotContain("Seq Scan");
	}

	private List<ContactDetails> contacts(String query, PageRequest page) {
		return context.callAs(tenant, () -> contacts.search(query, page).getContent());
	}

	private static List<String> names(List<ContactDetails> found) {
		return found.stream().map(ContactDetails::name).toList();
	}
}

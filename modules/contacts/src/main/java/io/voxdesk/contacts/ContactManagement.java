package io.voxdesk.contacts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.voxdesk.contacts.internal.Contact;
import io.voxdesk.contacts.internal.Contacts;
import io.voxdesk.contacts.internal.ContactWriter;
import io.voxdesk.contacts.internal.PhoneNumbers;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantManagement;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, changes, finds and searches the current tenant's contacts. Numbers are stored in E.164, so a
 * lookup by any common spelling of a number finds the same contact.
 * <p>
 * Duplicate rule: a number belongs to at most one contact of a tenant. Creating or editing a contact with a
 * number another contact has is refused ({@link PhoneNumberTakenException}); {@link #findOrCreateByPhone}
 * returns the existing owner instead of creating a second contact.
 */
@Service
public class ContactManagement {

	/** Sortable properties and their columns. */
	private static final Map<String, String> SORTABLE = Map.of("name", "name", "createdAt", "created_at",
			"updatedAt", "updated_at");

	private final Contacts contacts;

	private final ContactWriter writer;

	private final PhoneNumbers numbers;

	private final TenantContext context;

	private final TenantManagement tenants;

	private final JdbcClient jdbc;

	private final ContactsSettings settings;

	ContactManagement(Contacts contacts, ContactWriter writer, PhoneNumbers numbers, TenantContext context,
			TenantManagement tenants, JdbcClient jdbc, ContactsSettings settings) {
		this.contacts = contacts;
		this.writer = writer;
		this.numbers = numbers;
		this.context = context;
		this.tenants = tenants;
		this.jdbc = jdbc;
		this.settings = settings;
	}

	@Transactional
	public ContactDetails create(ContactDraft draft) {
		return writer.create(draft, region()).toDetails();
	}

	/** @throws ContactNotFoundException if the tenant has no such contact. */
	@Transactional
	public ContactDetails update(ContactId id, ContactDraft draft) {
		var contact = contacts.findById(id.value()).orElseThrow(() -> new ContactNotFoundException(id.toString()));
		return writer.update(contact, draft, region()).toDetails();
	}

	@Transactional(readOnly = true)
	public Optional<ContactDetails> find(ContactId id) {
		return contacts.findById(id.value()).map(Contact::toDetails);
	}

	/** The contact owning a number written in any common format, national ones read in the tenant's region. */
	@Transactional(readOnly = true)
	public Optional<ContactDetails> findByPhone(String number) {
		return numbers.tryE164(number, region()).flatMap(contacts::findByPhone).map(Contact::toDetails);
	}

	/**
	 * The number in E.164, a national spelling read in the tenant's region; what other modules dial.
	 *
	 * @param field the name of the request field the number came from, for the problem if it is invalid.
	 * @throws InvalidPhoneNumberException if the number is not valid.
	 */
	public String toE164(String field, String number) {
		return numbers.toE164(field, number, region());
	}

	/**
	 * The contact owning the number, or a new contact with it (what caller-ID matching needs).
	 *
	 * @throws InvalidPhoneNumberException if the number is not valid.
	 */
	@Transactional
	public ContactDetails findOrCreateByPhone(String number, String nameIfNew) {
		var region = region();
		var e164 = numbers.toE164("number", number, region);
		return contacts.findByPhone(e164)
			.orElseGet(() -> writer.create(new ContactDraft(nameIfNew, List.of(new ContactDraft.PhoneDraft(number, null)),
					null, List.of(), List.of()), region))
			.toDetails();
	}

	/**
	 * Contacts whose name or email contains the query, or one of whose numbers contains its digits (three or
	 * more); every contact for a blank query. Sortable by name, createdAt and updatedAt.
	 *
	 * @throws ContactSearchTooBroadException if the search outlasts {@link ContactsSettings#searchTimeout()}; the
	 *     timeout is set for the transaction, so a caller's enclosing transaction keeps it until it ends.
	 */
	@Transactional(readOnly = true)
	public Page<ContactDetails> search(String query, Pageable page) {
		var sort = validated(page.getSort());
		// For this transaction only: the pooled connection goes back without it.
		jdbc.sql("select set_config('statement_timeout', ?, true)")
			.param(settings.searchTimeout().toMillis() + "ms")
			.query(String.class)
			.single();
		try {
			if (query.isBlank()) {
				return contacts.findAll(PageRequest.of(page.getPageNumber(), page.getPageSize(), sort.and(Sort.by("id"))))
					.map(Contact::toDetails);
			}
			var columns = Sort.by(sort.stream()
				.map(order -> new Sort.Order(order.getDirection(), SORTABLE.get(order.getProperty())))
				.toList()).and(Sort.by("id"));
			var text = "%" + escape(query.strip()) + "%";
			var digits = query.replaceAll("\\D", "");
			return contacts.search(context.currentTenant().value(), text, digits.length() >= 3 ? "%" + digits + "%" : "",
					PageRequest.of(page.getPageNumber(), page.getPageSize(), columns))
				.map(Contact::toDetails);
		}
		catch (QueryTimeoutException ex) {
			throw new ContactSearchTooBroadException(settings.searchTimeout(), ex);
		}
	}

	/** @throws ContactNotFoundException if the tenant has no such contact. */
	@Transactional
	public void delete(ContactId id) {
		var contact = contacts.findById(id.value()).orElseThrow(() -> new ContactNotFoundException(id.toString()));
		contacts.delete(contact);
	}

	private String region() {
		return tenants.defaultRegion(context.currentTenant()).orElse(TenantDetails.DEFAULT_REGION);
	}

	private static Sort validated(Sort sort) {
		for (var order : sort) {
			if (!SORTABLE.containsKey(order.getProperty())) {
				var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Contacts cannot be sorted by '"
						+ order.getProperty() + "'; sort by name, createdAt or updatedAt.");
				problem.setTitle("Invalid sort");
				throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
			}
		}
		return sort.isSorted() ? sort : Sort.by("name");
	}

	private static String escape(String text) {
		return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
	}
}

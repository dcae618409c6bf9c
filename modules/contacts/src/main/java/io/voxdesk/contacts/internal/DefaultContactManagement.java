package io.voxdesk.contacts.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.contacts.CallTarget;
import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.ContactNotFoundException;
import io.voxdesk.contacts.ContactSearchTooBroadException;
import io.voxdesk.contacts.ContactSelection;
import io.voxdesk.contacts.ContactsSettings;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantManagement;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/** The {@link ContactManagement} of this module, which the root package only declares. */
@Service
class DefaultContactManagement implements ContactManagement {

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

	DefaultContactManagement(Contacts contacts, ContactWriter writer, PhoneNumbers numbers, TenantContext context,
			TenantManagement tenants, JdbcClient jdbc, ContactsSettings settings) {
		this.contacts = contacts;
		this.writer = writer;
		this.numbers = numbers;
		this.context = context;
		this.tenants = tenants;
		this.jdbc = jdbc;
		this.settings = settings;
	}

	@Override
	@Transactional
	public ContactDetails create(ContactDraft draft) {
		return writer.create(draft, region()).toDetails();
	}

	@Override
	@Transactional
	public ContactDetails update(ContactId id, ContactDraft draft) {
		var contact = contacts.findById(id.value()).orElseThrow(() -> new ContactNotFoundException(id.toString()));
		return writer.update(contact, draft, region()).toDetails();
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<ContactDetails> find(ContactId id) {
		return contacts.findById(id.value()).map(Contact::toDetails);
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<ContactDetails> findByPhone(String number) {
		return numbers.tryE164(number, region()).flatMap(contacts::findByPhone).map(Contact::toDetails);
	}

	@Override
	public String toE164(String field, String number) {
		return numbers.toE164(field, number, region());
	}

	@Override
	@Transactional
	public ContactDetails findOrCreateByPhone(String number, String nameIfNew) {
		var region = region();
		var e164 = numbers.toE164("number", number, region);
		var known = contacts.findByPhone(e164);
		if (known.isPresent()) {
			return known.get().toDetails();
		}
		// Two calls from a new number at once (an office line, two arrivals recorded side by side) both found nobody
		// and both created a contact; the second failed on the number's unique index and lost its call's record. Only
		// a number nobody has yet takes the lock, and looks again under it.
		jdbc.sql("select count(*) from pg_advisory_xact_lock(hashtextextended(:key, 0))")
			.param("key", "contact-number:" + context.currentTenant().value() + ":" + e164)
			.query(Long.class)
			.single();
		return contacts.findByPhone(e164)
			.orElseGet(() -> writer.create(new ContactDraft(nameIfNew, List.of(new ContactDraft.PhoneDraft(number, null)),
					null, List.of(), List.of()), region))
			.toDetails();
	}

	@Override
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

	@Override
	@Transactional
	public void delete(ContactId id) {
		var contact = contacts.findById(id.value()).orElseThrow(() -> new ContactNotFoundException(id.toString()));
		contacts.delete(contact);
	}

	@Override
	@Transactional(readOnly = true)
	public long count(ContactSelection selection) {
		return selected("select count(*)", selection, null, Integer.MAX_VALUE).query(Long.class).single();
	}

	@Override
	@Transactional(readOnly = true)
	public List<CallTarget> targets(ContactSelection selection, @Nullable ContactId after, int limit) {
		return selected("select c.id, c.name, p.e164", selection, after, limit)
			.query((rs, row) -> new CallTarget(ContactId.of(rs.getObject(1, UUID.class)), rs.getString(2), rs.getString(3)))
			.list();
	}

	/**
	 * The selection's contacts joined to their first number, as a statement starting with {@code select}. The first
	 * number is one index look-up per contact ({@code contact_phones (contact_id, position)}): a campaign's selection
	 * of 100,000 contacts is counted and read page by page in seconds.
	 */
	private JdbcClient.StatementSpec selected(String select, ContactSelection selection, @Nullable ContactId after,
			int limit) {
		var ordered = !select.contains("count(");
		var text = selection.query().isBlank() ? "" : "%" + escape(selection.query()) + "%";
		var digits = selection.query().replaceAll("\\D", "");
		return jdbc.sql(select + """
				 from contacts c
				 join lateral (select q.e164 from contact_phones q where q.contact_id = c.id order by q.position limit 1) p
				   on true
				where (cardinality(cast(:tags as text[])) = 0 or c.tags && cast(:tags as text[]))
				  and (:text = '' or c.name ilike :text or (:digits <> '' and p.e164 like :digits))
				  and (cast(:after as uuid) is null or c.id > cast(:after as uuid))
				""" + (ordered ? " order by c.id limit :limit" : ""))
			.param("tags", selection.tags().toArray(String[]::new))
			.param("text", text)
			.param("digits", digits.length() >= 3 ? "%" + digits + "%" : "")
			.param("after", after == null ? null : after.value())
			.param("limit", limit);
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

package io.voxdesk.contacts;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

/**
 * Creates, changes, finds and searches the current tenant's contacts. Numbers are stored in E.164, so a
 * lookup by any common spelling of a number finds the same contact.
 * <p>
 * Duplicate rule: a number belongs to at most one contact of a tenant. Creating or editing a contact with a
 * number another contact has is refused ({@link PhoneNumberTakenException}); {@link #findOrCreateByPhone}
 * returns the existing owner instead of creating a second contact.
 */
public interface ContactManagement {

	ContactDetails create(ContactDraft draft);

	/** @throws ContactNotFoundException if the tenant has no such contact. */
	ContactDetails update(ContactId id, ContactDraft draft);

	Optional<ContactDetails> find(ContactId id);

	/** The contact owning a number written in any common format, national ones read in the tenant's region. */
	Optional<ContactDetails> findByPhone(String number);

	/**
	 * The number in E.164, a national spelling read in the tenant's region; what other modules dial.
	 *
	 * @param field the name of the request field the number came from, for the problem if it is invalid.
	 * @throws InvalidPhoneNumberException if the number is not valid.
	 */
	String toE164(String field, String number);

	/**
	 * The contact owning the number, or a new contact with it (what caller-ID matching needs).
	 *
	 * @throws InvalidPhoneNumberException if the number is not valid.
	 */
	ContactDetails findOrCreateByPhone(String number, String nameIfNew);

	/**
	 * Contacts whose name or email contains the query, or one of whose numbers contains its digits (three or
	 * more); every contact for a blank query. Sortable by name, createdAt and updatedAt.
	 *
	 * @throws ContactSearchTooBroadException if the search outlasts {@link ContactsSettings#searchTimeout()}; the
	 *     timeout is set for the transaction, so a caller's enclosing transaction keeps it until it ends.
	 */
	Page<ContactDetails> search(String query, Pageable page);

	/** @throws ContactNotFoundException if the tenant has no such contact. */
	void delete(ContactId id);

	/** How many contacts the selection holds now. */
	long count(ContactSelection selection);

	/**
	 * The selection's contacts in id order, after {@code after} (from the start when {@literal null}), at most
	 * {@code limit}: read page by page, a selection of any size never sits in memory at once.
	 */
	List<CallTarget> targets(ContactSelection selection, @Nullable ContactId after, int limit);
}

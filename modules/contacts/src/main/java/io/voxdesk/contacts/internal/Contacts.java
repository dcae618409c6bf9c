package io.voxdesk.contacts.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The contacts of the current tenant (the tenant filter and row-level security scope every query). */
interface Contacts extends JpaRepository<Contact, UUID> {

	@Query("select c from Contact c join c.phones p where p.e164 = :e164")
	Optional<Contact> findByPhone(@Param("e164") String e164);

	@Query("select p.contact.id from PhoneEntry p where p.e164 = :e164")
	Optional<UUID> findIdByPhone(@Param("e164") String e164);

	/**
	 * Contacts whose name or email matches the {@code ilike} pattern, or one of whose numbers matches the
	 * digits pattern, found through the trigram indexes by the {@code contact_search} database function.
	 *
	 * @param digits a {@code like} pattern over E.164 numbers, or the empty string to skip numbers.
	 */
	@Query(value = """
			select c.* from contacts c
			where c.tenant_id = :tenant and c.id in (select contact_search(:text, :digits))""",
			countQuery = "select count(*) from contact_search(:text, :digits)", nativeQuery = true)
	Page<Contact> search(@Param("tenant") String tenant, @Param("text") String text, @Param("digits") String digits,
			Pageable page);
}

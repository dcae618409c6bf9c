package io.voxdesk.contacts;

import java.io.InputStream;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

/**
 * The current tenant's do-not-call list: numbers campaigns skip and click-to-call warns about. Numbers are read in
 * any spelling (the tenant's region for national ones) and kept in E.164, so {@code (48) 3332-8530} and
 * {@code +55 48 3332-8530} are the same entry.
 */
public interface DoNotCallList {

	/** The entry for a number in any spelling, if it is listed; empty for a number that cannot be read. */
	Optional<DoNotCallEntry> find(String number);

	/** Which of these E.164 numbers are on the list, in one look (a campaign deciding a thousand calls at once). */
	Set<String> listed(Collection<String> e164Numbers);

	/**
	 * Lists a number, once: adding a listed number again leaves its entry as it was. Publishes
	 * {@link DoNotCallChanged} for a new entry.
	 *
	 * @throws InvalidPhoneNumberException if it is not a phone number.
	 */
	Added add(String number, DoNotCallSource source, @Nullable String note);

	/** The entry, and whether {@link #add} listed the number just now. */
	record Added(DoNotCallEntry entry, boolean created) {
	}

	/**
	 * Takes a number off the list. Publishes {@link DoNotCallChanged}.
	 *
	 * @return whether it was listed.
	 */
	boolean remove(String number);

	/** The list, newest first. */
	Page<DoNotCallEntry> list(Pageable page);

	/**
	 * Lists every number of a CSV (UTF-8 or Windows-1252; the column headed phone, telefone, number or numero, else
	 * the first), in one transaction; rows that are not numbers are reported and skipped.
	 */
	DoNotCallImport importCsv(InputStream csv);
}

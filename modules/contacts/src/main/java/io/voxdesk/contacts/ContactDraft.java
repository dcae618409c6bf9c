package io.voxdesk.contacts;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a contact should look like, as entered: numbers are parsed in the tenant's default region.
 *
 * @param customFields up to five values, in order; missing or {@literal null} entries are empty fields.
 */
public record ContactDraft(String name, List<PhoneDraft> phones, @Nullable String email,
		List<@Nullable String> customFields, List<String> tags) {

	/** A phone number as entered, with an optional label. */
	public record PhoneDraft(String number, @Nullable String label) {
	}
}

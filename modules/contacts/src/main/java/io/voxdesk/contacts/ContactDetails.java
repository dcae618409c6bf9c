package io.voxdesk.contacts;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A contact as other modules and the REST API see it. */
public record ContactDetails(ContactId id, String name, List<ContactPhone> phones, @Nullable String email,
		List<@Nullable String> customFields, List<String> tags, Instant createdAt, Instant updatedAt) {
}

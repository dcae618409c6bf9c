package io.voxdesk.contacts;

import org.jspecify.annotations.Nullable;

/**
 * One phone number of a contact.
 *
 * @param e164 the number in E.164, such as {@code +554833328530}: what lookups compare.
 * @param raw the number as it was entered.
 * @param label what the number is, such as {@code mobile}; optional.
 */
public record ContactPhone(String e164, String raw, @Nullable String label) {
}

package io.voxdesk.tickets;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * An entry another module adds to a ticket's timeline.
 *
 * @param type lowercase, namespaced by the contributing module, e.g. {@code call.answered}; the tickets module's
 *     own types ({@code created}, {@code status_changed}, {@code assigned}, {@code transferred}) are reserved.
 * @param summary one line a person reads in the timeline.
 * @param data details for clients; must serialize to JSON.
 * @param idempotencyKey appending twice with the same key stores one entry; {@literal null} for no such guard.
 * @param occurredAt when it happened, which may be before it is appended.
 */
public record TimelineEntryDraft(String type, String summary, Map<String, Object> data,
		@Nullable String idempotencyKey, Instant occurredAt) {

	private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,49}");

	public TimelineEntryDraft {
		Objects.requireNonNull(type);
		Objects.requireNonNull(summary);
		Objects.requireNonNull(occurredAt);
		if (!TYPE.matcher(type).matches()) {
			throw new IllegalArgumentException("Timeline entry type '" + type + "' must be 1-50 lowercase letters, digits, '.', '_' or '-'");
		}
		if (summary.isBlank() || summary.length() > 500) {
			throw new IllegalArgumentException("A timeline entry summary must have 1 to 500 characters");
		}
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
			throw new IllegalArgumentException("An idempotency key must have 1 to 200 characters");
		}
		data = Map.copyOf(data);
	}
}

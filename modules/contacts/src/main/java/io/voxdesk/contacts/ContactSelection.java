package io.voxdesk.contacts;

import java.util.List;

/**
 * Which contacts a campaign calls: those with any of the tags (every contact when there are none) whose name or
 * number contains {@code query} (when it is not blank). Contacts without a phone number are never selected.
 */
public record ContactSelection(List<String> tags, String query) {

	public ContactSelection {
		tags = List.copyOf(tags);
		query = query == null ? "" : query.strip();
	}
}

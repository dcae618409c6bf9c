package io.voxdesk.audio;

import java.util.List;

/**
 * Implemented by every module that refers to audio items (campaigns, queues): the library asks each before it
 * deletes an item, so nothing that plays it is left pointing at nothing.
 */
public interface AudioUsage {

	/**
	 * Who in the current tenant uses the item, named the way an admin finds them, such as
	 * {@code campaign "Black Friday"}; empty when nobody does.
	 */
	List<String> usersOf(AudioId audio);
}

package io.voxdesk.calls.spi;

import java.util.List;

/**
 * The result of testing a provider connection, in words a tenant admin understands.
 *
 * @param ok whether every step passed.
 * @param summary one sentence: what works, or the first thing that does not.
 * @param steps each check in the order it ran.
 * @param durationMillis how long the whole test took.
 */
public record ConnectionCheck(boolean ok, String summary, List<Step> steps, long durationMillis) {

	public ConnectionCheck {
		steps = List.copyOf(steps);
	}

	/**
	 * One check, such as "reachable" or "credentials accepted".
	 *
	 * @param detail what was found, e.g. "Asterisk 22.10.1" or "timed out after 3 s".
	 */
	public record Step(String name, boolean ok, String detail) {
	}
}

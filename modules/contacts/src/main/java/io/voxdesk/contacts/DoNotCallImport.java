package io.voxdesk.contacts;

import java.util.List;

/**
 * What a CSV of numbers did to the do-not-call list.
 *
 * @param added numbers newly listed.
 * @param alreadyListed numbers that were on the list already (left as they were).
 * @param rejected rows whose value is not a phone number, with why.
 */
public record DoNotCallImport(int added, int alreadyListed, List<Rejected> rejected) {

	/** A row that was not taken: its number in the file (1 = the first line), what it held, and why. */
	public record Rejected(int row, String value, String reason) {
	}
}

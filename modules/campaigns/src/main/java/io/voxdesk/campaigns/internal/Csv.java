package io.voxdesk.campaigns.internal;

import org.jspecify.annotations.Nullable;

/** Cells of exported CSV files. */
final class Csv {

	private Csv() {
	}

	/**
	 * One cell. A cell a spreadsheet would read as a formula ({@code = + - @}, tab or carriage return first, which
	 * includes every E.164 number) is quoted after a leading apostrophe (OWASP's advice for CSV injection); a cell
	 * with a comma, a quote or a line break is quoted.
	 */
	static String cell(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		if ("=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
			return "\"'" + value.replace("\"", "\"\"") + "\"";
		}
		return value.matches("(?s).*[\",\\n\\r].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
	}
}

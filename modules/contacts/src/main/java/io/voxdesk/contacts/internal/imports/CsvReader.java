package io.voxdesk.contacts.internal.imports;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads RFC 4180 CSV text record by record, with the physical row number of each record. A record with
 * broken quoting is returned as a {@link Row} with a problem instead of fields, and reading resumes at the
 * next line, so one bad row never hides the rest of the file.
 */
final class CsvReader {

	private final String text;

	private final char delimiter;

	private int position;

	private int line = 1;

	CsvReader(String text, char delimiter) {
		this.text = text;
		this.delimiter = delimiter;
	}

	/** One record: its first line number and either its fields or what is wrong with it. */
	record Row(int number, List<String> fields, @Nullable String problem) {
	}

	/** The next record, or {@literal null} at the end; blank lines are skipped. */
	@Nullable
	Row next() {
		while (position < text.length() && (text.charAt(position) == '\n' || text.charAt(position) == '\r')) {
			newline();
		}
		if (position >= text.length()) {
			return null;
		}
		var start = line;
		var fields = new ArrayList<String>();
		var field = new StringBuilder();
		while (true) {
			if (position < text.length() && text.charAt(position) == '"' && field.isEmpty()) {
				position++;
				var closed = false;
				while (position < text.length()) {
					var c = text.charAt(position);
					if (c == '"') {
						if (position + 1 < text.length() && text.charAt(position + 1) == '"') {
							field.append('"');
							position += 2;
							continue;
						}
						position++;
						closed = true;
						break;
					}
					if (c == '\n') {
						line++;
					}
					field.append(c);
					position++;
				}
				if (!closed) {
					return new Row(start, List.of(), "a quoted field is never closed");
				}
				if (position < text.length() && !atFieldEnd()) {
					skipLine();
					return new Row(start, List.of(), "text follows a closing quote (write a quote inside quotes as \"\")");
				}
			}
			else {
				while (position < text.length() && !atFieldEnd()) {
					if (text.charAt(position) == '"') {
						skipLine();
						return new Row(start, List.of(), "a quote inside an unquoted field (quote the whole field)");
					}
					field.append(text.charAt(position++));
				}
			}
			fields.add(field.toString());
			field.setLength(0);
			if (position < text.length() && text.charAt(position) == delimiter) {
				position++;
				continue;
			}
			if (position < text.length()) {
				newline();
			}
			return new Row(start, fields, null);
		}
	}

	private boolean atFieldEnd() {
		var c = text.charAt(position);
		return c == delimiter || c == '\n' || c == '\r';
	}

	private void newline() {
		if (text.charAt(position) == '\r' && position + 1 < text.length() && text.charAt(position + 1) == '\n') {
			position++;
		}
		position++;
		line++;
	}

	private void skipLine() {
		while (position < text.length() && text.charAt(position) != '\n' && text.charAt(position) != '\r') {
			position++;
		}
		if (position < text.length()) {
			newline();
		}
	}
}

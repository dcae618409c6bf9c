package io.voxdesk.contacts.internal.imports;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Reads RFC 4180 CSV text record by record with Apache Commons CSV, giving each record the physical line it starts
 * on. A record with broken quoting is returned as a {@link Row} with a problem instead of fields, and reading
 * resumes at the line after the one where the parser gave up, so one bad row never hides the rest of the file.
 * Commons CSV cannot resume after an error, so a new parser starts there.
 */
final class CsvReader {

	private final String text;

	private final CSVFormat format;

	/** The offset in {@link #text} where each physical line starts (CR, LF and CRLF end lines). */
	private final int[] lineStarts;

	/** The first physical line (0-based) the current parser reads. */
	private int firstLine;

	private @Nullable CSVParser parser;

	private @Nullable Iterator<CSVRecord> records;

	/** The current parser's line count right after its last good record: where a failed record starts. */
	private long afterGood;

	CsvReader(String text, char delimiter) {
		this.text = text;
		this.format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).get();
		this.lineStarts = lineStarts(text);
		open(0);
	}

	/** One record: its first line number and either its fields or what is wrong with it. */
	record Row(int number, List<String> fields, @Nullable String problem) {
	}

	/** The next record, or {@literal null} at the end; blank lines are skipped. */
	@Nullable
	Row next() {
		if (records == null || parser == null) {
			return null;
		}
		try {
			if (!records.hasNext()) {
				records = null;
				return null;
			}
			var record = records.next();
			var row = new Row(nonBlankFrom(lineOf(lineStarts[firstLine] + record.getCharacterPosition())) + 1,
					record.toList(), null);
			afterGood = parser.getCurrentLineNumber();
			return row;
		}
		catch (UncheckedIOException | IllegalStateException ex) {
			var start = nonBlankFrom(firstLine + (int) afterGood) + 1;
			var problem = problem(ex);
			if (problem.equals(NEVER_CLOSED)) {
				records = null;
			}
			else {
				// Mid-line, the parser counts lines from 1: its count is the index of the line after the one it gave up on.
				open(Math.max(firstLine + (int) parser.getCurrentLineNumber(), start));
			}
			return new Row(start, List.of(), problem);
		}
	}

	private static final String NEVER_CLOSED = "a quoted field is never closed";

	/** What the parser's message means, in words for the person who made the file. */
	private static String problem(RuntimeException ex) {
		var message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
		if (message.contains("eof reached before encapsulated token finished")) {
			return NEVER_CLOSED;
		}
		if (message.contains("between encapsulated token and delimiter")) {
			return "text follows a closing quote (write a quote inside quotes as \"\")";
		}
		return "the row is not valid CSV";
	}

	private void open(int line) {
		firstLine = line;
		afterGood = 0;
		if (line >= lineStarts.length) {
			records = null;
			return;
		}
		try {
			parser = CSVParser.builder().setReader(new StringReader(text.substring(lineStarts[line]))).setFormat(format).get();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		records = parser.iterator();
	}

	/** The physical line (0-based) holding the offset. */
	private int lineOf(long offset) {
		var low = 0;
		var high = lineStarts.length - 1;
		while (low < high) {
			var middle = (low + high + 1) >>> 1;
			if (lineStarts[middle] <= offset) {
				low = middle;
			}
			else {
				high = middle - 1;
			}
		}
		return low;
	}

	/** The first line from {@code line} on that is not blank: where a record starts, blank lines being skipped. */
	private int nonBlankFrom(int line) {
		var current = line;
		while (current < lineStarts.length - 1 && isLineBreak(text, lineStarts[current])) {
			current++;
		}
		return current;
	}

	private static boolean isLineBreak(String text, int offset) {
		return offset < text.length() && (text.charAt(offset) == '\n' || text.charAt(offset) == '\r');
	}

	private static int[] lineStarts(String text) {
		var starts = new ArrayList<Integer>();
		starts.add(0);
		for (var i = 0; i < text.length(); i++) {
			var c = text.charAt(i);
			if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
				i++;
			}
			if (c == '\n' || c == '\r') {
				starts.add(i + 1);
			}
		}
		return starts.stream().mapToInt(Integer::intValue).toArray();
	}
}

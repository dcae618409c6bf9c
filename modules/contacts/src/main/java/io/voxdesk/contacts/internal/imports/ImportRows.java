package io.voxdesk.contacts.internal.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.voxdesk.contacts.InvalidPhoneNumberException;
import io.voxdesk.contacts.internal.PhoneNumbers;
import io.voxdesk.contacts.internal.imports.ImportFormat.Field;

import org.jspecify.annotations.Nullable;

/**
 * Checks the rows of one import: every problem of a row is reported with its row number and column, and a
 * number may appear in one row of a file only. Remembers the numbers it saw, so it must see the rows in order.
 */
final class ImportRows {

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private static final Pattern LIST = Pattern.compile("\\s*[|/]\\s*");

	private final ImportFormat format;

	private final PhoneNumbers numbers;

	private final String region;

	private final Map<String, Integer> seen = new HashMap<>();

	ImportRows(ImportFormat format, PhoneNumbers numbers, String region) {
		this.format = format;
		this.numbers = numbers;
		this.region = region;
	}

	/** A row ready to store. */
	record ValidRow(int number, String name, @Nullable String email, @Nullable String[] custom, List<String> tags,
			List<String> e164, List<String> raw) {
	}

	/** What is wrong with a row; {@code column} is absent when the row as a whole is unreadable. */
	record RowError(int row, @Nullable String column, String reason) {
	}

	/** Either a valid row or its errors. */
	record Checked(@Nullable ValidRow valid, List<RowError> errors) {
	}

	Checked check(CsvReader.Row row) {
		if (row.problem() != null) {
			return rejected(new RowError(row.number(), null, row.problem()));
		}
		if (row.fields().size() > format.header().size()) {
			return rejected(new RowError(row.number(), null, "the row has " + row.fields().size()
					+ " fields but the header names " + format.header().size()));
		}
		var errors = new ArrayList<RowError>();
		String name = null;
		String email = null;
		var custom = new String[5];
		var tags = new LinkedHashSet<String>();
		var e164 = new ArrayList<String>();
		var raw = new ArrayList<String>();
		for (var entry : format.columns().entrySet()) {
			var column = format.header().get(entry.getKey());
			var value = entry.getKey() < row.fields().size() ? row.fields().get(entry.getKey()).strip() : "";
			var control = firstControlCharacter(value);
			if (control >= 0) {
				errors.add(new RowError(row.number(), column, "the value contains a control character (U+"
						+ String.format("%04X", control) + "), which cannot be stored"));
				continue;
			}
			switch (entry.getValue()) {
				case NAME -> {
					if (value.isEmpty()) {
						errors.add(new RowError(row.number(), column, "the name is empty"));
					}
					else if (value.length() > 200) {
						errors.add(new RowError(row.number(), column, "the name is longer than 200 characters"));
					}
					name = value;
				}
				case EMAIL -> {
					if (!value.isEmpty() && (value.length() > 254 || !EMAIL.matcher(value).matches())) {
						errors.add(new RowError(row.number(), column, "'" + clip(value) + "' is not an email address"));
					}
					email = value.isEmpty() ? null : value;
				}
				case TAGS -> {
					for (var tag : LIST.split(value)) {
						if (tag.length() > 50) {
							errors.add(new RowError(row.number(), column, "a tag is longer than 50 characters"));
						}
						else if (!tag.isBlank()) {
							tags.add(tag.strip());
						}
					}
				}
				case PHONE -> {
					for (var number : LIST.split(value)) {
						if (number.isBlank()) {
							continue;
						}
						try {
							var parsed = numbers.toE164(column, number, region);
							var first = seen.get(parsed);
							if (first != null) {
								errors.add(new RowError(row.number(), column,
										"the number " + parsed + " already appears in row " + first));
							}
							else if (!e164.contains(parsed)) {
								e164.add(parsed);
								raw.add(number.strip());
							}
						}
						catch (InvalidPhoneNumberException e) {
							errors.add(new RowError(row.number(), column, "'" + clip(number) + "' is not a valid phone number: "
									+ e.reason()));
						}
					}
				}
				default -> {
					if (value.length() > 500) {
						errors.add(new RowError(row.number(), column, "the value is longer than 500 characters"));
					}
					custom[entry.getValue().ordinal() - Field.CUSTOM1.ordinal()] = value.isEmpty() ? null : value;
				}
			}
		}
		if (e164.size() > 10) {
			errors.add(new RowError(row.number(), null, "a contact has at most 10 numbers"));
		}
		if (tags.size() > 20) {
			errors.add(new RowError(row.number(), null, "a contact has at most 20 tags"));
		}
		if (!errors.isEmpty() || name == null) {
			return new Checked(null, errors);
		}
		e164.forEach(number -> seen.put(number, row.number()));
		return new Checked(new ValidRow(row.number(), name, email, custom, List.copyOf(tags), e164, raw), List.of());
	}

	/**
	 * The first control character other than tab and line breaks, or -1: PostgreSQL refuses U+0000 in text (one
	 * such byte would fail the whole staged batch), and the others are invisible junk no contact field needs.
	 */
	private static int firstControlCharacter(String value) {
		for (var i = 0; i < value.length(); i++) {
			var c = value.charAt(i);
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
				return c;
			}
		}
		return -1;
	}

	private static Checked rejected(RowError error) {
		return new Checked(null, List.of(error));
	}

	private static String clip(String value) {
		return value.length() > 60 ? value.substring(0, 60) + "…" : value;
	}
}

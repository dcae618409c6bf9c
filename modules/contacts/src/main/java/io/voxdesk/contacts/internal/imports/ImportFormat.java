package io.voxdesk.contacts.internal.imports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an uploaded CSV file is: its character set (UTF-8, else Windows-1252, as spreadsheets in Brazil
 * save), its delimiter ({@code ,} {@code ;} or tab, guessed from the header) and which column feeds which
 * contact field (guessed from the header names in English or Portuguese, or given explicitly).
 */
record ImportFormat(Charset charset, char delimiter, List<String> header, Map<Integer, Field> columns) {

	/** The contact fields a column can feed. */
	enum Field {
		NAME, PHONE, EMAIL, CUSTOM1, CUSTOM2, CUSTOM3, CUSTOM4, CUSTOM5, TAGS;

		static Optional<Field> named(String name) {
			try {
				return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException e) {
				return Optional.empty();
			}
		}
	}

	private static final Pattern PHONE = Pattern.compile("^(phone|telefone|fone|tel|celular|mobile|whatsapp|numero|number)s?\\d*$");

	private static final Pattern CUSTOM = Pattern.compile("^(custom|customfield|campo|campopersonalizado)([1-5])$");

	static Decoded decoded(byte[] content) {
		var start = content.length >= 3 && (content[0] & 0xff) == 0xEF && (content[1] & 0xff) == 0xBB
				&& (content[2] & 0xff) == 0xBF ? 3 : 0;
		var bytes = ByteBuffer.wrap(content, start, content.length - start);
		try {
			var text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes)
				.toString();
			return new Decoded(StandardCharsets.UTF_8, text);
		}
		catch (CharacterCodingException e) {
			var windows = Charset.forName("windows-1252");
			return new Decoded(windows, new String(content, start, content.length - start, windows));
		}
	}

	/** Text decoded from the file and the character set it was in. */
	record Decoded(Charset charset, String text) {
	}

	/**
	 * Reads the header of a decoded file.
	 *
	 * @param explicit header name to field name, overriding the guesses; may be empty.
	 * @throws ImportRefusedException if the header is unusable.
	 */
	static ImportFormat of(Decoded decoded, Map<String, String> explicit) {
		var firstLine = decoded.text().lines().findFirst().orElse("");
		if (firstLine.isBlank()) {
			throw new ImportRefusedException("The file is empty: the first line must name the columns, such as "
					+ "name,phone,email.");
		}
		var delimiter = guessDelimiter(firstLine);
		var headerRow = new CsvReader(decoded.text(), delimiter).next();
		if (headerRow == null || headerRow.problem() != null) {
			throw new ImportRefusedException("The header line cannot be read: "
					+ (headerRow == null ? "it is missing" : headerRow.problem()) + ".");
		}
		var header = headerRow.fields().stream().map(String::strip).toList();
		var columns = new LinkedHashMap<Integer, Field>();
		for (var i = 0; i < header.size(); i++) {
			var name = header.get(i);
			var chosen = explicit.containsKey(name) ? Field.named(explicit.get(name)).or(() -> {
				throw new ImportRefusedException("Column '" + name + "' is mapped to '" + explicit.get(name)
						+ "', which is not a contact field (name, phone, email, custom1..custom5, tags).");
			}) : guess(name);
			final var column = i;
			chosen.ifPresent(field -> columns.put(column, field));
		}
		for (var name : explicit.keySet()) {
			if (!header.contains(name)) {
				throw new ImportRefusedException("The mapping names column '" + name + "', which the file does not have.");
			}
		}
		if (!columns.containsValue(Field.NAME)) {
			throw new ImportRefusedException("No column holds the contact's name: name one 'name' (or 'nome'), or map one.");
		}
		var single = new ArrayList<Field>();
		for (var field : columns.values()) {
			if (field != Field.PHONE && single.contains(field)) {
				throw new ImportRefusedException("Two columns feed the field " + field.name().toLowerCase(Locale.ROOT)
						+ "; map one of them to another field.");
			}
			single.add(field);
		}
		return new ImportFormat(decoded.charset(), delimiter, header, columns);
	}

	private static Optional<Field> guess(String header) {
		var key = Normalizer.normalize(header, Normalizer.Form.NFD)
			.replaceAll("\\p{M}", "")
			.toLowerCase(Locale.ROOT)
			.replaceAll("[^a-z0-9]", "");
		if (List.of("name", "nome", "fullname", "nomecompleto", "contact", "contato").contains(key)) {
			return Optional.of(Field.NAME);
		}
		if (List.of("email", "mail", "emailaddress", "correioeletronico").contains(key)) {
			return Optional.of(Field.EMAIL);
		}
		if (List.of("tags", "tag", "etiquetas", "etiqueta").contains(key)) {
			return Optional.of(Field.TAGS);
		}
		if (PHONE.matcher(key).matches()) {
			return Optional.of(Field.PHONE);
		}
		var custom = CUSTOM.matcher(key);
		return custom.matches() ? Field.named("custom" + custom.group(2)) : Optional.empty();
	}

	private static char guessDelimiter(String line) {
		var counts = new int[3];
		var quoted = false;
		for (var c : line.toCharArray()) {
			if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted) {
				switch (c) {
					case ',' -> counts[0]++;
					case ';' -> counts[1]++;
					case '\t' -> counts[2]++;
					default -> {
					}
				}
			}
		}
		if (counts[1] > counts[0] && counts[1] >= counts[2]) {
			return ';';
		}
		return counts[2] > counts[0] ? '\t' : ',';
	}
}

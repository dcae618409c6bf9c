package io.voxdesk.contacts.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

/**
 * The CSV reader on its own: exact rows and their line numbers around blank lines, multi-line fields and broken
 * quoting, then fuzzed: whatever Commons CSV writes reads back field for field, and random text never makes it
 * throw, loop or lose the rows after a broken one.
 */
class CsvReaderTests {

	static final Set<String> PROBLEMS = Set.of("a quoted field is never closed",
			"text follows a closing quote (write a quote inside quotes as \"\")", "the row is not valid CSV");

	static List<CsvReader.Row> read(String text, char delimiter) {
		var reader = new CsvReader(text, delimiter);
		var rows = new ArrayList<CsvReader.Row>();
		for (var row = reader.next(); row != null; row = reader.next()) {
			rows.add(row);
			assertThat(rows).as("rows of %s", text).hasSizeLessThanOrEqualTo(text.length() + 1);
		}
		return rows;
	}

	@Test
	void rowsKeepTheLineTheyStartOnAcrossBlankLinesAndMultiLineFields() {
		var rows = read("a,b\n\n\r\nc,d\n\"x\ny\",z\r\n\"p\"q,r\ns,t", ',');

		assertThat(rows).containsExactly(new CsvReader.Row(1, List.of("a", "b"), null),
				new CsvReader.Row(4, List.of("c", "d"), null), new CsvReader.Row(5, List.of("x\ny", "z"), null),
				new CsvReader.Row(7, List.of(), "text follows a closing quote (write a quote inside quotes as \"\")"),
				new CsvReader.Row(8, List.of("s", "t"), null));
	}

	@Test
	void anUnclosedQuoteEndsTheFileWithOneProblemRow() {
		assertThat(read("name;phone\n\"Unclosed; 1\nok;2\n", ';')).containsExactly(
				new CsvReader.Row(1, List.of("name", "phone"), null),
				new CsvReader.Row(2, List.of(), "a quoted field is never closed"));
	}

	@Test
	void aQuoteInsideAnUnquotedFieldIsTextAsSpreadsheetsReadIt() {
		assertThat(read("O\"Brien,1\n", ',')).containsExactly(new CsvReader.Row(1, List.of("O\"Brien", "1"), null));
	}

	@Test
	void whatCommonsCsvWritesReadsBackFieldForField() throws IOException {
		var seed = new Random().nextLong();
		var random = new Random(seed);
		for (var round = 0; round < 500; round++) {
			var delimiter = random.nextBoolean() ? ',' : ';';
			var separator = random.nextBoolean() ? "\n" : "\r\n";
			var records = new ArrayList<List<String>>();
			var out = new StringBuilder();
			try (var printer = new CSVPrinter(out,
					CSVFormat.RFC4180.builder().setDelimiter(delimiter).setRecordSeparator(separator).get())) {
				for (var r = random.nextInt(8); r > 0; r--) {
					var fields = new ArrayList<String>();
					for (var f = 1 + random.nextInt(5); f > 0; f--) {
						fields.add(text(random, "ab ç\"\n\r,;\t'=" + delimiter, 12));
					}
					if (fields.stream().allMatch(String::isEmpty)) {
						fields.set(0, "x");
					}
					records.add(fields);
					printer.printRecord(fields);
				}
			}

			var rows = read(out.toString(), delimiter);

			assertThat(rows.stream().map(CsvReader.Row::fields).toList()).as("seed %d, text %s", seed, out)
				.isEqualTo(records);
			assertThat(rows).as("seed %d", seed).allSatisfy(row -> assertThat(row.problem()).isNull());
			assertThat(rows.stream().mapToInt(CsvReader.Row::number)).as("seed %d", seed).isSorted();
		}
	}

	@Test
	void randomTextNeverThrowsAndEveryRowAfterABrokenOneIsStillRead() {
		var seed = new Random().nextLong();
		var random = new Random(seed);
		for (var round = 0; round < 5_000; round++) {
			var garbage = text(random, "a\"\",,\n\r ;", 80);
			var text = garbage + "\nlast,row\n";

			var rows = read(text, ',');

			var lines = text.split("\r\n|\r|\n", -1).length;
			assertThat(rows).as("seed %d, text %s", seed, garbage).allSatisfy(row -> {
				assertThat(row.number()).isBetween(1, lines);
				assertThat(row.problem() == null || PROBLEMS.contains(row.problem())).isTrue();
				assertThat(row.problem() == null || row.fields().isEmpty()).isTrue();
			});
			assertThat(rows.stream().mapToInt(CsvReader.Row::number)).as("seed %d, text %s", seed, garbage)
				.isSorted();
			if (garbage.indexOf('"') < 0) {
				assertThat(rows).as("without quotes nothing is broken: seed %d, text %s", seed, garbage)
					.allSatisfy(row -> assertThat(row.problem()).isNull())
					.last()
					.satisfies(row -> assertThat(row.fields()).containsExactly("last", "row"));
			}
		}
	}

	@Test
	void aBrokenRowAmongGoodOnesCostsOnlyItself() {
		var seed = new Random().nextLong();
		var random = new Random(seed);
		for (var round = 0; round < 1_000; round++) {
			var good = new ArrayList<String>();
			for (var i = 1 + random.nextInt(6); i > 0; i--) {
				good.add(text(random, "abc xyz", 10) + "," + text(random, "0123456789", 6));
			}
			var broken = random.nextInt(good.size() + 1);
			var lines = new ArrayList<>(good);
			lines.add(broken, "\"" + text(random, "ab,", 5) + "\"" + text(random, "xy", 3) + "z," + text(random, "\"a,", 6));
			var separator = random.nextBoolean() ? "\n" : "\r\n";

			var rows = read(String.join(separator, lines) + separator, ',');

			assertThat(rows).as("seed %d, lines %s", seed, lines).hasSize(lines.size());
			assertThat(rows.get(broken).problem()).as("seed %d, lines %s", seed, lines).isNotNull();
			assertThat(rows.get(broken).number()).isEqualTo(broken + 1);
			var read = new ArrayList<>(rows);
			read.remove(broken);
			assertThat(read.stream().map(row -> String.join(",", row.fields())).toList()).as("seed %d", seed)
				.isEqualTo(good);
		}
	}

	static String text(Random random, String alphabet, int maxLength) {
		var out = new StringBuilder();
		for (var i = random.nextInt(maxLength + 1); i > 0; i--) {
			out.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return out.toString();
	}
}

package io.voxdesk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares documents the build generates with the copies committed under {@code docs/}, so that a change to the
 * code that changes them cannot land without them; with {@code -Dvoxdesk.docs.update=true} it rewrites the
 * committed copies instead.
 */
final class CommittedDocuments {

	static final String HOW_TO_UPDATE = "the committed documents (docs/, the webphone's test fixtures) differ from"
			+ " what the code generates; review the change, then rewrite them with ./mvnw -B -pl app -am verify"
			+ " -Dtest='ModularityTests,OpenApiDocumentTests,ThirdConnectorTests' -Dsurefire.failIfNoSpecifiedTests=false"
			+ " -Dvoxdesk.docs.update=true";

	private CommittedDocuments() {
	}

	/** The repository's root (the app module's tests run in {@code app/}). */
	static Path root() {
		return Path.of(System.getProperty("voxdesk.root", ".."));
	}

	static boolean updating() {
		return Boolean.getBoolean("voxdesk.docs.update");
	}

	/** Empties a folder the test generates into, so files of an earlier run cannot hide a missing one. */
	static void clear(Path folder) throws IOException {
		if (Files.exists(folder)) {
			try (Stream<Path> files = Files.walk(folder)) {
				files.sorted(Comparator.reverseOrder()).forEach(CommittedDocuments::delete);
			}
		}
		Files.createDirectories(folder);
	}

	/**
	 * What differs between a generated folder and its committed copy (files missing on either side, files whose
	 * content differs); empty when they are the same or after rewriting the committed copy.
	 */
	static List<String> compare(Path generated, Path committed) throws IOException {
		var names = new TreeSet<String>();
		names.addAll(fileNames(generated));
		names.addAll(fileNames(committed));
		var drift = new ArrayList<String>();
		for (var name : names) {
			drift.addAll(compareFile(generated.resolve(name), committed.resolve(name)));
		}
		return drift;
	}

	/** The same for one document. */
	static List<String> compareFile(Path generated, Path committed) throws IOException {
		if (!Files.exists(committed)) {
			return rewrite(generated, committed, committed + " is missing (the code generates it)");
		}
		if (!Files.exists(generated)) {
			if (updating()) {
				Files.delete(committed);
				return List.of();
			}
			return List.of(committed + " is committed but the code no longer generates it");
		}
		var expected = Files.readAllLines(generated);
		var actual = Files.readAllLines(committed);
		if (expected.equals(actual)) {
			return List.of();
		}
		return rewrite(generated, committed, committed + " differs from the generated " + generated + " at line "
				+ (firstDifference(expected, actual) + 1));
	}

	private static List<String> rewrite(Path generated, Path committed, String drift) throws IOException {
		if (!updating()) {
			return List.of(drift);
		}
		Files.createDirectories(committed.getParent());
		Files.copy(generated, committed, StandardCopyOption.REPLACE_EXISTING);
		return List.of();
	}

	private static int firstDifference(List<String> expected, List<String> actual) {
		var line = 0;
		while (line < expected.size() && line < actual.size() && expected.get(line).equals(actual.get(line))) {
			line++;
		}
		return line;
	}

	private static List<String> fileNames(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).sorted().toList();
		}
	}

	private static void delete(Path path) {
		try {
			Files.delete(path);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}

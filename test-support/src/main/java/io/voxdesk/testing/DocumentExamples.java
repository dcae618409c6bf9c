package io.voxdesk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON examples a document quotes from the code: each block {@code <!-- <kind>: <name> -->} followed by a fenced
 * JSON block holds what the code produces for {@code name}. {@link #check} compares them; with
 * {@code -Dvoxdesk.docs.update=true} it rewrites the blocks instead.
 */
public final class DocumentExamples {

	private DocumentExamples() {
	}

	/** What {@link #check} found: the names the document has blocks for, and those whose text differs. */
	public record Result(Set<String> documented, List<String> differing) {
	}

	/**
	 * Compares (or, when updating, rewrites) every {@code kind} block of {@code document} with {@code examples}.
	 *
	 * @throws IllegalStateException if the document has a block for a name {@code examples} lacks.
	 */
	public static Result check(Path document, String kind, Map<String, String> examples) throws IOException {
		var pattern = Pattern.compile("(<!-- " + Pattern.quote(kind) + ": (\\S+) -->\\n```json\\n)(.*?)(\\n```)", Pattern.DOTALL);
		var matcher = pattern.matcher(Files.readString(document));
		var rewritten = new StringBuilder();
		var documented = new LinkedHashSet<String>();
		var differing = new ArrayList<String>();
		while (matcher.find()) {
			var name = matcher.group(2);
			documented.add(name);
			var expected = examples.get(name);
			if (expected == null) {
				throw new IllegalStateException(document + " has an example of " + name + ", which the code does not make");
			}
			if (!expected.equals(matcher.group(3))) {
				differing.add(name);
			}
			matcher.appendReplacement(rewritten, Matcher.quoteReplacement(matcher.group(1) + expected + matcher.group(4)));
		}
		matcher.appendTail(rewritten);
		if (Boolean.getBoolean("voxdesk.docs.update")) {
			Files.writeString(document, rewritten.toString());
			return new Result(documented, List.of());
		}
		return new Result(documented, differing);
	}
}

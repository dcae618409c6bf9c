package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Verifies the module structure, and that the module documentation committed in {@code docs/modules} is the one
 * the code generates ({@code -Dvoxdesk.docs.update=true} rewrites it).
 */
class ModularityTests {

	static final ApplicationModules modules = ApplicationModules.of(VoxdeskApplication.class,
			JavaClass.Predicates.resideInAPackage("io.voxdesk.testing.."));

	@Test
	void modulesRespectTheirBoundaries() {
		modules.verify();
	}

	@Test
	void theCommittedModuleDocumentationIsTheGeneratedOne() throws IOException {
		var generated = Path.of("target", "generated-docs", "modules");
		CommittedDocuments.clear(generated);
		new Documenter(modules, Documenter.Options.defaults().withOutputFolder(generated.toString()))
			.writeDocumentation()
			.writeModuleMetadata();
		try (var files = Files.list(generated)) {
			for (var file : files.toList()) {
				Files.write(file, inStableOrder(Files.readAllLines(file)));
			}
		}

		var drift = CommittedDocuments.compare(generated, CommittedDocuments.root().resolve("docs/modules"));

		assertThat(drift).as(CommittedDocuments.HOW_TO_UPDATE).isEmpty();
	}

	@Test
	void theDocumentationOrderDoesNotDependOnTheRun() {
		var generated = List.of("|* `i.v.t.TenantReactivated` (async) ", "* `i.v.e.ExtensionChanged` (async) ", "|",
				"Rel(B, A, \"uses\")", "Rel(A, B, \"uses\")");

		assertThat(inStableOrder(generated)).containsExactly("|* `i.v.e.ExtensionChanged` (async) ",
				"* `i.v.t.TenantReactivated` (async) ", "|", "Rel(A, B, \"uses\")", "Rel(B, A, \"uses\")");
	}

	/**
	 * The generated documents with their unordered parts sorted: the Documenter writes relations and the items of
	 * a table cell's list from hash sets, so their order changes from run to run while their content does not.
	 */
	static List<String> inStableOrder(List<String> lines) {
		var result = new ArrayList<String>();
		var index = 0;
		while (index < lines.size()) {
			var line = lines.get(index);
			if (line.startsWith("Rel(")) {
				var run = new ArrayList<String>();
				while (index < lines.size() && lines.get(index).startsWith("Rel(")) {
					run.add(lines.get(index++));
				}
				run.sort(null);
				result.addAll(run);
			}
			else if (line.startsWith("|* ")) {
				var run = new ArrayList<String>();
				run.add(line.substring(1));
				index++;
				while (index < lines.size() && lines.get(index).startsWith("* ")) {
					run.add(lines.get(index++));
				}
				run.sort(null);
				run.set(0, "|" + run.get(0));
				result.addAll(run);
			}
			else {
				result.add(line);
				index++;
			}
		}
		return result;
	}
}

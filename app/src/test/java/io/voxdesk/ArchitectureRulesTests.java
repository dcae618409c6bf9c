package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class ArchitectureRulesTests {

	static final JavaClasses voxdesk = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(location -> !location.contains("voxdesk-test-support"))
		.importPackages("io.voxdesk");

	static final JavaClasses seededViolations = new ClassFileImporter().importPackages("archfixture.voxdesk");

	@Test
	void voxdeskFollowsTheHouseRules() {
		assertThat(voxdesk.size()).as("classes imported").isGreaterThan(20);
		ArchitectureRules.noModuleReachesAnotherModulesInternals("io.voxdesk").check(voxdesk);
		ArchitectureRules.controllersUseOnlyTheirOwnModulesRepositories("io.voxdesk").check(voxdesk);
		ArchitectureRules.noFieldInjection("io.voxdesk").check(voxdesk);
	}

	@Test
	void reachingIntoAnotherModulesInternalsIsCaught() {
		var result = ArchitectureRules.noModuleReachesAnotherModulesInternals("archfixture.voxdesk")
			.evaluate(seededViolations);

		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().getDetails())
			.anySatisfy(line -> assertThat(line).contains("BetaController").contains("alpha.internal.AlphaSecrets"));
	}

	@Test
	void aControllerUsingAnotherModulesRepositoryIsCaught() {
		var result = ArchitectureRules.controllersUseOnlyTheirOwnModulesRepositories("archfixture.voxdesk")
			.evaluate(seededViolations);

		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().getDetails())
			.anySatisfy(line -> assertThat(line).contains("BetaController").contains("Alphas"));
	}

	@Test
	void fieldInjectionIsCaught() {
		var result = ArchitectureRules.noFieldInjection("archfixture.voxdesk").evaluate(seededViolations);

		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().getDetails()).anySatisfy(line -> assertThat(line).contains("BetaController.secrets"));
	}

	@Test
	void everyMavenModuleDeclaresTheVoxdeskModulesItUses() throws Exception {
		var modules = MavenModule.all(Path.of("..", "modules"));
		assertThat(modules).hasSizeGreaterThanOrEqualTo(9);
		for (var module : modules) {
			var classes = new ClassFileImporter().importPath(module.classes());
			assertThat(classes.size()).as(module.classes() + " (built by the reactor before the app)").isPositive();
			ArchitectureRules.usesOnlyDeclaredModules(module.rootPackage(), module.declaredPackages()).check(classes);
		}
	}

	@Test
	void aModuleUsingOneItDoesNotDeclareIsCaught() throws Exception {
		var calls = MavenModule.all(Path.of("..", "modules"))
			.stream()
			.filter(module -> module.rootPackage().equals("io.voxdesk.calls"))
			.findFirst()
			.orElseThrow();
		// The seeded violation: calls as if its pom.xml had forgotten the tickets module it uses.
		var forgetful = new HashSet<>(calls.declaredPackages());
		forgetful.remove("io.voxdesk.tickets");

		var result = ArchitectureRules.usesOnlyDeclaredModules(calls.rootPackage(), forgetful)
			.evaluate(new ClassFileImporter().importPath(calls.classes()));

		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().getDetails()).anySatisfy(line -> assertThat(line).contains("io.voxdesk.tickets"));
	}

	/** A Maven module under {@code modules/}: its compiled classes, root package and the Voxdesk modules it declares. */
	record MavenModule(Path classes, String rootPackage, Set<String> declaredPackages) {

		static List<MavenModule> all(Path root) throws IOException {
			try (var poms = Files.walk(root, 3)) {
				var result = new ArrayList<MavenModule>();
				for (var pom : poms.filter(path -> path.getFileName().toString().equals("pom.xml")).toList()) {
					read(pom).ifPresent(result::add);
				}
				return result;
			}
		}

		private static Optional<MavenModule> read(Path pom) {
			try {
				var factory = DocumentBuilderFactory.newInstance();
				factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
				var project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
				var classes = pom.resolveSibling(Path.of("target", "classes"));
				if (!Files.isDirectory(pom.resolveSibling(Path.of("src", "main", "java")))) {
					return Optional.empty();
				}
				var declared = new HashSet<String>();
				var dependencies = project.getElementsByTagName("dependency");
				for (var i = 0; i < dependencies.getLength(); i++) {
					var dependency = (Element) dependencies.item(i);
					var group = text(dependency, "groupId");
					var scope = text(dependency, "scope");
					if ("io.voxdesk".equals(group) && !"test".equals(scope)) {
						declared.add(packageOf(text(dependency, "artifactId")));
					}
				}
				return Optional.of(new MavenModule(classes,
						packageOf(directChild(project, "artifactId")), Set.copyOf(declared)));
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot read " + pom, ex);
			}
		}

		private static String packageOf(String artifactId) {
			return "io.voxdesk." + artifactId.replaceFirst("^voxdesk-", "").replace("-", "");
		}

		private static String directChild(Element parent, String tag) {
			for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
				if (node instanceof Element element && element.getTagName().equals(tag)) {
					return element.getTextContent().strip();
				}
			}
			throw new IllegalStateException("No <" + tag + "> in " + parent.getTagName());
		}

		private static String text(Element parent, String tag) {
			var found = parent.getElementsByTagName(tag);
			return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
		}
	}
}

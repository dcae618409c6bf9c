package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

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
}

package io.voxdesk;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClass;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Verifies the module structure and writes the module documentation into {@code docs/modules}. */
class ModularityTests {

	static final ApplicationModules modules = ApplicationModules.of(VoxdeskApplication.class,
			JavaClass.Predicates.resideInAPackage("io.voxdesk.testing.."));

	@Test
	void modulesRespectTheirBoundaries() {
		modules.verify();
	}

	@Test
	void writesModuleDocumentation() {
		var root = Path.of(System.getProperty("voxdesk.root", ".."));
		new Documenter(modules, Documenter.Options.defaults().withOutputFolder(root.resolve("docs/modules").toString()))
			.writeDocumentation()
			.writeModuleMetadata();
	}
}

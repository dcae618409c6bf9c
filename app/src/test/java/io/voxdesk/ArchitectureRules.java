package io.voxdesk;

import java.util.Optional;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.repository.Repository;
import org.springframework.web.bind.annotation.RestController;

/**
 * House rules beyond what Spring Modulith verifies, written against any root package so a test can prove
 * each one fires on a deliberate violation.
 */
final class ArchitectureRules {

	private ArchitectureRules() {
	}

	/** No class of one module depends on the {@code internal} package of another. */
	static ArchRule noModuleReachesAnotherModulesInternals(String root) {
		return ArchRuleDefinition.classes()
			.that()
			.resideInAPackage(root + ".*..")
			.should(new ArchCondition<JavaClass>("not depend on another module's internal package") {

				@Override
				public void check(JavaClass type, ConditionEvents events) {
					var own = module(root, type);
					for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
						var target = dependency.getTargetClass();
						var targetModule = module(root, target);
						if (targetModule.isPresent() && !targetModule.equals(own)
								&& target.getPackageName().startsWith(root + "." + targetModule.get() + ".internal")) {
							events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
						}
					}
				}
			});
	}

	/** A controller only uses repositories of its own module; other modules' data goes through their API. */
	static ArchRule controllersUseOnlyTheirOwnModulesRepositories(String root) {
		return ArchRuleDefinition.classes()
			.that()
			.areAnnotatedWith(RestController.class)
			.and()
			.resideInAPackage(root + ".*..")
			.should(new ArchCondition<JavaClass>("use only repositories of their own module") {

				@Override
				public void check(JavaClass controller, ConditionEvents events) {
					var own = module(root, controller);
					for (Dependency dependency : controller.getDirectDependenciesFromSelf()) {
						var target = dependency.getTargetClass();
						if (target.isAssignableTo(Repository.class) && !module(root, target).equals(own)) {
							events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
						}
					}
				}
			});
	}

	/** Dependencies come through constructors, so every bean can be built and tested without a container. */
	static ArchRule noFieldInjection(String root) {
		return ArchRuleDefinition.noFields()
			.that()
			.areDeclaredInClassesThat(DescribedPredicate.describe("in " + root,
					(JavaClass c) -> c.getPackageName().startsWith(root)))
			.should()
			.beAnnotatedWith(Autowired.class)
			.because("constructor injection keeps beans testable and dependencies visible");
	}

	/**
	 * The classes of one Maven module use no class of a Voxdesk module that its {@code pom.xml} does not declare:
	 * a module reached only through another's dependencies would break when that one drops it.
	 *
	 * @param own the module's root package, such as {@code io.voxdesk.calls}.
	 * @param declared the root packages of the modules its {@code pom.xml} declares.
	 */
	static ArchRule usesOnlyDeclaredModules(String own, Set<String> declared) {
		return ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage(own + "..")
			.should()
			.dependOnClassesThat(DescribedPredicate.describe("belong to a Voxdesk module not declared in its pom.xml",
					(JavaClass c) -> c.getPackageName().startsWith("io.voxdesk.")
							&& !c.getPackageName().equals(own) && !c.getPackageName().startsWith(own + ".")
							&& declared.stream()
								.noneMatch(p -> c.getPackageName().equals(p) || c.getPackageName().startsWith(p + "."))))
			.because("a Maven module declares the modules it uses instead of getting them through another's");
	}

	private static Optional<String> module(String root, JavaClass type) {
		var name = type.getPackageName();
		if (!name.startsWith(root + ".")) {
			return Optional.empty();
		}
		var rest = name.substring(root.length() + 1);
		var dot = rest.indexOf('.');
		return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
	}
}

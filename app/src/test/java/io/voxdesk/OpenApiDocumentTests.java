package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API description integrators read: the committed {@code docs/openapi.json} is the one the running
 * application serves, and no two body types share a schema name (springdoc names schemas by simple class name and
 * silently shows one type's schema for the other's operations).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTests {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping handlers;

	@Test
	void theCommittedApiDescriptionIsTheOneTheApplicationServes() throws IOException {
		var served = new VoxdeskApi(port).get(null, "/v3/api-docs");
		assertThat(served.status()).isEqualTo(200);
		var generated = Path.of("target", "generated-docs", "openapi.json");
		Files.createDirectories(generated.getParent());
		Files.writeString(generated, JSON.writeValueAsString(canonical(served.json())) + "\n");

		var drift = CommittedDocuments.compareFile(generated, CommittedDocuments.root().resolve("docs/openapi.json"));

		assertThat(drift).as(CommittedDocuments.HOW_TO_UPDATE).isEmpty();
	}

	@Test
	void noTwoBodyTypesShareASchemaName() {
		var types = new HashSet<Class<?>>();
		handlers.getHandlerMethods().values().forEach(handler -> {
			for (var parameter : handler.getMethodParameters()) {
				if (parameter.hasParameterAnnotation(RequestBody.class)) {
					collect(parameter.getGenericParameterType(), types);
				}
			}
			collect(returnType(handler.getMethod()), types);
		});
		var byName = types.stream()
			.filter(type -> type.getPackageName().startsWith("io.voxdesk"))
			.collect(Collectors.groupingBy(Class::getSimpleName, TreeMap::new, Collectors.toList()));

		var shared = byName.entrySet().stream().filter(entry -> entry.getValue().size() > 1).toList();

		assertThat(byName).as("the controllers' body types were found").hasSizeGreaterThan(10);
		assertThat(shared).as("schema names used by more than one body type").isEmpty();
	}

	private static Type returnType(Method method) {
		return new MethodParameter(method, -1).getGenericParameterType();
	}

	/** The type and what it wraps: {@code ResponseEntity<List<X>>} gives X too. */
	private static void collect(Type type, Set<Class<?>> into) {
		if (type instanceof ParameterizedType parameterized) {
			collect(parameterized.getRawType(), into);
			for (var argument : parameterized.getActualTypeArguments()) {
				collect(argument, into);
			}
		}
		else if (type instanceof Class<?> plain && !HttpEntity.class.isAssignableFrom(plain)
				&& !Collection.class.isAssignableFrom(plain) && !Map.class.isAssignableFrom(plain)) {
			into.add(plain.isArray() ? plain.getComponentType() : plain);
		}
	}

	/**
	 * The document with object keys sorted and the server address (this run's random port) left out, so that two
	 * runs of the same code give the same text.
	 */
	private static Object canonical(JsonNode node) {
		if (node.isObject()) {
			var sorted = new TreeMap<String, Object>();
			node.properties().forEach(entry -> {
				if (!entry.getKey().equals("servers")) {
					sorted.put(entry.getKey(), canonical(entry.getValue()));
				}
			});
			return sorted;
		}
		if (node.isArray()) {
			var items = new ArrayList<Object>();
			node.forEach(item -> items.add(canonical(item)));
			return List.copyOf(items);
		}
		return node;
	}
}

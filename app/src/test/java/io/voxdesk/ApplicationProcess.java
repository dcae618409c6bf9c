package io.voxdesk;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.voxdesk.testing.VoxdeskTestInfrastructure;

/**
 * The application in a process of its own (the test's class path, the test database, the real Keycloak), for tests
 * that kill it: killing it kills everything it held in memory, as in production.
 */
final class ApplicationProcess {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private ApplicationProcess() {
	}

	/** A free port on loopback for the next process. */
	static int freePort() throws IOException {
		try (var probe = new ServerSocket(0)) {
			return probe.getLocalPort();
		}
	}

	/** Starts the application on {@code port} and returns once it is ready; its log goes to target/restart-name.log. */
	static Process launch(String name, int port, Map<String, Object> settings) throws IOException {
		var properties = new HashMap<String, Object>(VoxdeskTestInfrastructure.properties());
		properties.put("voxdesk.calls.outbound.allowed-networks", "127.0.0.0/8,::1/128");
		properties.put("voxdesk.rate-limits.enabled", "false");
		properties.putAll(settings);
		properties.put("server.port", port);
		properties.put("server.address", "127.0.0.1");
		var command = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
		command.addAll(List.of("-cp", classPath(), VoxdeskApplication.class.getName()));
		var log = Path.of("target", "restart-" + name + ".log");
		Files.createDirectories(log.getParent());
		var process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build();
		await().atMost(Duration.ofSeconds(120))
			.failFast("the application exited; see " + log.toAbsolutePath(), () -> !process.isAlive())
			.ignoreExceptions()
			.until(() -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
		return process;
	}

	/**
	 * The test's class path for a process of its own. Surefire's ends with an empty entry, the working directory:
	 * Liquibase would then name the changelogs after target/classes/ and take a database that another launcher
	 * migrated for an empty one.
	 */
	static String classPath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter(entry -> !entry.isBlank())
			.collect(Collectors.joining(File.pathSeparator));
	}

	/** Stops it as an operator would, or kills it if it does not stop within 30 s. */
	static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}
}

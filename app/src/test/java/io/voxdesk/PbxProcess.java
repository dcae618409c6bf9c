package io.voxdesk;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.voxdesk.testing.arisim.AriSimulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated PBX in a process of its own, as a tenant's Asterisk is: the application's processes and this test
 * reach it only over the network, ARI for the application and the simulator's {@code /_sim} back door for the test
 * (scripts, channels, what was originated, dropping and refusing event sockets). Killing an application process
 * leaves it running, with its channels.
 */
final class PbxProcess implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final String baseUrl;

	private final HttpClient http = HttpClient.newHttpClient();

	private PbxProcess(Process process, String baseUrl) {
		this.process = process;
		this.baseUrl = baseUrl;
	}

	/** Starts the simulator with ARI user {@code voxdesk}; its log goes to target/pbx-name.log. */
	static PbxProcess start(String name, String password) throws IOException {
		var port = ApplicationProcess.freePort();
		var command = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-cp", ApplicationProcess.classPath(), AriSimulator.class.getName(), "--port",
				String.valueOf(port), "--username", "voxdesk", "--password", password));
		var log = Path.of("target", "pbx-" + name + ".log");
		Files.createDirectories(log.getParent());
		var process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		var pbx = new PbxProcess(process, "http://127.0.0.1:" + port);
		var info = HttpRequest.newBuilder(URI.create(pbx.baseUrl + "/ari/asterisk/info"))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("voxdesk:" + password).getBytes(StandardCharsets.UTF_8)))
			.build();
		await().atMost(Duration.ofSeconds(30))
			.failFast("the PBX process exited; see " + log.toAbsolutePath(), () -> !process.isAlive())
			.ignoreExceptions()
			.until(() -> pbx.http.send(info, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
		return pbx;
	}

	String baseUrl() {
		return baseUrl;
	}

	/** What the number does when dialled, as the back door reads it: {@code {"kind":"answer","ringingMs":200}}. */
	void script(String number, String script) {
		send("PUT", "/_sim/scripts/" + number, script);
	}

	void defaultScript(String script) {
		send("PUT", "/_sim/default-script", script);
	}

	/** The channels up now: {@code id}, {@code name}, {@code state}, {@code endpoint}, {@code number}, ... */
	List<JsonNode> channels() {
		return JSON.readTree(send("GET", "/_sim/channels", null)).valueStream().toList();
	}

	/** Every Stasis start and originate, oldest first: {@code at}, {@code kind}, {@code channel}, ... */
	List<JsonNode> history() {
		return JSON.readTree(send("GET", "/_sim/history", null)).valueStream().toList();
	}

	/** The far end hangs up (cause 16, normal clearing); false if the channel had already gone. */
	boolean hangUp(String channel) {
		try {
			send("POST", "/_sim/channels/" + channel + "/hangup", null);
			return true;
		}
		catch (IllegalStateException ex) {
			if (String.valueOf(ex.getMessage()).contains("HTTP 404")) {
				return false;
			}
			throw ex;
		}
	}

	/** Closes every event socket, as a network cut would. */
	void dropEventSockets() {
		send("POST", "/_sim/websockets/drop", null);
	}

	/** Refuses (or accepts again) every new event socket, as a PBX being restarted would. */
	void refuseEventSockets(boolean refuse) {
		send("PUT", "/_sim/websockets/refuse?refuse=" + refuse, null);
	}

	private String send(String method, String path, String body) {
		var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json")
			.build();
		try {
			var response = http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() >= 300) {
				throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		http.close();
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}
}

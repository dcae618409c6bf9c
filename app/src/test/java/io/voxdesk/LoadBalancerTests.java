package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.voxdesk.testing.KeycloakTestServer;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, point 8 and its "done when": two instances with the feed relay behind HAProxy, configured by the sample
 * {@code deploy/haproxy.cfg} through {@code scripts/load-balancer.sh}, exactly as {@code ./voxdesk demo --instances 2}
 * runs them. Clients that only know the balancer's address reach both instances, over HTTP and WebSocket; when the
 * instance holding the PBX connection is killed, a client reading through the balancer sees no error, feeds that
 * reconnect land on the survivor, the next click is placed by it, and the killed instance rejoins the rotation once it
 * is back. Runs in the {@code restart} surefire execution, with processes of its own (see {@link RestartTests}).
 */
class LoadBalancerTests {

	static final String ARI_PASSWORD = "ari-" + UUID.randomUUID();

	static final Map<String, Object> RELAY = Map.of("voxdesk.realtime.relay.host", "127.0.0.1");

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	AriSimulator pbx;

	final Map<String, Process> instances = new HashMap<>();

	final Map<String, Integer> ports = new HashMap<>();

	@Nullable Process balancer;

	int balancerPort;

	int statsPort;

	VoxdeskApi api;

	final List<StompFeed> feeds = new ArrayList<>();

	@BeforeEach
	void startTwoInstancesBehindHaproxy() throws Exception {
		var defaults = AriSimulatorSettings.defaults();
		pbx = AriSimulator.start(new AriSimulatorSettings(0, "voxdesk", ARI_PASSWORD, defaults.asteriskVersion(), 1.0));
		for (var name : List.of("instance-1", "instance-2")) {
			var port = ApplicationProcess.freePort();
			ports.put(name, port);
			instances.put(name, ApplicationProcess.launch("balanced-" + name, port, RELAY));
		}
		balancerPort = ApplicationProcess.freePort();
		statsPort = ApplicationProcess.freePort();
		var script = Path.of("..").toAbsolutePath().normalize().resolve("scripts").resolve("load-balancer.sh");
		var state = Path.of("target", "load-balancer").toAbsolutePath();
		Files.createDirectories(state);
		var command = new ArrayList<>(List.of(script.toString(), "127.0.0.1:" + balancerPort, "127.0.0.1:" + statsPort,
				"127.0.0.1:" + ports.get("instance-1"), "127.0.0.1:" + ports.get("instance-2")));
		var builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(Path.of("target", "load-balancer.log").toFile()));
		builder.environment().put("VOXDESK_STATE", state.toString());
		var started = builder.start();
		balancer = started;
		await().atMost(Duration.ofSeconds(20))
			.failFast("HAProxy exited; see target/load-balancer.log", () -> !started.isAlive())
			.ignoreExceptions()
			.until(() -> stats().values().stream().filter(server -> server.status().equals("UP")).count() == 2);
		api = new VoxdeskApi(balancerPort);
	}

	@AfterEach
	void stopEverything() throws InterruptedException {
		feeds.forEach(StompFeed::close);
		if (balancer != null) {
			balancer.destroy();
			balancer.waitFor(10, TimeUnit.SECONDS);
		}
		for (var process : instances.values()) {
			ApplicationProcess.stop(process);
		}
		pbx.close();
	}

	@Test
	void clientsOfTheBalancerReachBothInstancesAndDoNotNoticeWhenTheHolderIsKilled() throws Exception {
		var connection = api.replaceAcmeAsteriskConnection("Balanced PBX", "voxdesk-balanced", ARI_PASSWORD,
				pbx.baseUrl().toString(), ", \"recording\": \"false\"");
		assertThat(api.put("acme-agent", "/api/me/extension", "{\"extension\": \"1001\", \"active\": true}").status())
			.isEqualTo(200);
		var ticket = SeveralInstancesTests.ticket(api);
		var holder = await().atMost(Duration.ofSeconds(15))
			.until(() -> SeveralInstancesTests.lease(api, connection).path("holder").asString(""), name -> !name.isEmpty());
		var holderName = instances.keySet().stream()
			.filter(name -> SeveralInstancesTests.asterisk(new VoxdeskApi(ports.get(name))).path("details")
				.path("instance").asString().equals(holder))
			.findFirst().orElseThrow();
		var survivorName = holderName.equals("instance-1") ? "instance-2" : "instance-1";

		// Requests through the balancer are shared between the instances.
		var before = stats();
		for (var i = 0; i < 20; i++) {
			assertThat(api.get("acme-agent", "/api/tenants/me").status()).isEqualTo(200);
		}
		var after = stats();
		for (var name : instances.keySet()) {
			assertThat(after.get(name).sessions() - before.get(name).sessions()).as("requests %s served", name)
				.isGreaterThanOrEqualTo(5);
		}

		// WebSockets pass through it: feeds opened at the balancer's address land on both instances.
		while (feeds.size() < 6 && instances.keySet().stream().anyMatch(name -> signedIn(name) == 0)) {
			feeds.add(StompFeed.connect(balancerPort, "acme-agent").subscribe("/user/queue/calls"));
			await().atMost(Duration.ofSeconds(10)).until(() -> totalSignedIn() == feeds.size());
		}
		for (var name : instances.keySet()) {
			assertThat(signedIn(name)).as("feeds signed in on %s", name).isPositive();
		}
		// The broker sees one connection per instance, however many browsers each holds (Spring's broker relay opened
		// one per browser besides its own).
		for (var name : instances.keySet()) {
			assertThat(brokerConnections(instances.get(name))).as("connections of %s to RabbitMQ", name).isEqualTo(1);
		}
		var customer = "55489" + VoxdeskApi.freshSubscriberDigits();
		pbx.script(customer, CallScript.answerAfter(Duration.ofMillis(200)));
		var clicked = api.post("acme-agent", "/api/tickets/" + ticket + "/calls", "{\"number\": \"+%s\"}".formatted(customer));
		assertThat(clicked.status()).as(clicked.body()).isEqualTo(202);
		var call = clicked.json().path("id").asString();
		for (var feed : feeds) {
			await().atMost(Duration.ofSeconds(15)).until(() -> feed.about(call).stream()
				.anyMatch(frame -> frame.body().path("status").asString().equals("ANSWERED")));
		}

		// The holder is killed while a client keeps reading the call through the balancer.
		var token = KeycloakTestServer.accessToken("acme-agent");
		var read = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancerPort + "/api/calls/" + call))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(10))
			.build();
		var answers = new CopyOnWriteArrayList<String>();
		var reading = new AtomicBoolean(true);
		try (var reader = Executors.newSingleThreadExecutor()) {
			reader.submit(() -> {
				while (reading.get()) {
					try {
						answers.add(String.valueOf(HTTP.send(read, HttpResponse.BodyHandlers.discarding()).statusCode()));
					}
					catch (Exception failed) {
						answers.add(failed.getClass().getSimpleName());
					}
				}
				return null;
			});
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() >= 50);
				var killed = instances.remove(holderName);
				killed.destroyForcibly();
				killed.waitFor();
				var killedAt = System.nanoTime();
				var readsBeforeKill = answers.size();
				await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
					.until(() -> stats().get(holderName).status().startsWith("DOWN"));
				var outOfRotation = (System.nanoTime() - killedAt) / 1e9;
				var readsUntilDown = answers.size() - readsBeforeKill;
				await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() >= readsBeforeKill + readsUntilDown + 50);
				System.out.printf(Locale.ROOT, "BENCHMARK load balancer: killed instance out of the rotation after %.1f s; "
						+ "%d reads through the balancer, %d of them between the kill and that, %d not answered 200%n",
						outOfRotation, answers.size(), readsUntilDown, answers.stream().filter(it -> !it.equals("200")).count());
			}
			finally {
				// Also when an await fails: the reader would otherwise keep the executor's close() waiting for ever.
				reading.set(false);
			}
		}
		assertThat(answers).as("answers to a client reading through the balancer across the kill").containsOnly("200");

		// Feeds on the killed instance were closed; one that reconnects at the same address lands on the survivor.
		var orphaned = feeds.stream().filter(feed -> !feed.connected()).count();
		assertThat(orphaned).as("feeds closed with the killed instance").isPositive();
		var reconnected = StompFeed.connect(balancerPort, "acme-agent").subscribe("/user/queue/calls");
		feeds.add(reconnected);
		await().atMost(Duration.ofSeconds(10)).until(() -> signedIn(survivorName) == feeds.size() - orphaned);

		// The survivor takes the connection over, settles the call the customer ended meanwhile, and places the next
		// click made through the balancer.
		var customerChannel = pbx.channels().stream().filter(channel -> channel.number().equals(customer)).findFirst()
			.orElseThrow();
		pbx.hangUpFromFarEnd(customerChannel.id(), 16);
		await().atMost(Duration.ofSeconds(15)).until(
				() -> SeveralInstancesTests.lease(api, connection).path("holder").asString(), name -> !name.equals(holder));
		var ended = await().atMost(Duration.ofSeconds(20))
			.until(() -> api.get("acme-agent", "/api/calls/" + call).json(), it -> !it.path("endedAt").isNull());
		assertThat(ended.path("outcome").asString()).isEqualTo("ANSWERED");
		var next = "55489" + VoxdeskApi.freshSubscriberDigits();
		pbx.script(next, CallScript.answerAfter(Duration.ofMillis(200)));
		var placed = api.post("acme-agent", "/api/tickets/" + ticket + "/calls", "{\"number\": \"+%s\"}".formatted(next));
		assertThat(placed.status()).as(placed.body()).isEqualTo(202);
		var nextCall = placed.json().path("id").asString();
		await().atMost(Duration.ofSeconds(15)).until(() -> reconnected.about(nextCall).stream()
			.anyMatch(frame -> frame.body().path("status").asString().equals("ANSWERED")));
		assertThat(pbx.dialled()).contains("PJSIP/" + next + "@trunk");

		// The killed instance comes back on its address and the balancer sends it requests again.
		instances.put(holderName, ApplicationProcess.launch("balanced-" + holderName + "-again", ports.get(holderName), RELAY));
		await().atMost(Duration.ofSeconds(10)).until(() -> stats().get(holderName).status().equals("UP"));
		var servedBefore = stats().get(holderName).sessions();
		for (var i = 0; i < 10; i++) {
			assertThat(api.get("acme-agent", "/api/tenants/me").status()).isEqualTo(200);
		}
		assertThat(stats().get(holderName).sessions()).as("requests served by the instance that came back")
			.isGreaterThan(servedBefore);
	}

	/** A server's line on HAProxy's status page: its state and the sessions (requests, WebSockets) it took. */
	record Server(String status, long sessions) {
	}

	/** The backend's servers on HAProxy's status page ({@code /stats;csv}), by name. */
	Map<String, Server> stats() throws Exception {
		var csv = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		var lines = csv.lines().toList();
		var header = Arrays.asList(lines.getFirst().replaceFirst("^# ", "").split(","));
		var servers = new HashMap<String, Server>();
		for (var line : lines.subList(1, lines.size())) {
			var fields = line.split(",", -1);
			if (fields[header.indexOf("pxname")].equals("instances") && fields[header.indexOf("svname")].startsWith("instance-")) {
				servers.put(fields[header.indexOf("svname")], new Server(fields[header.indexOf("status")],
						Long.parseLong(fields[header.indexOf("stot")])));
			}
		}
		return servers;
	}

	/** STOMP sessions signed in on one instance, from its own metrics (asked directly, not through the balancer). */
	int signedIn(String name) {
		var exposition = new VoxdeskApi(ports.get(name)).get("platform", "/actuator/prometheus").body();
		var value = OperationsTests.value(exposition, "voxdesk_realtime_sessions{state=\"signed-in\"}");
		assertThat(value).as("signed-in sessions on %s", name).isNotNull();
		return value.intValue();
	}

	/** The TCP connections a process holds open to RabbitMQ's STOMP port, as {@code ss} lists them. */
	static long brokerConnections(Process process) throws Exception {
		var run = new ProcessBuilder("ss", "-Htnp", "state", "established", "( dport = :61613 )").redirectErrorStream(true)
			.start();
		var output = new String(run.getInputStream().readAllBytes());
		assertThat(run.waitFor()).as("ss: " + output).isZero();
		return output.lines().filter(line -> line.contains("pid=" + process.pid() + ",")).count();
	}

	int totalSignedIn() {
		return instances.keySet().stream().mapToInt(this::signedIn).sum();
	}
}

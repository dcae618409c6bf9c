package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import com.sun.management.OperatingSystemMXBean;

import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.arisim.AriSimulatorSettings;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.util.LinkedMultiValueMap;

/**
 * Voice campaign benchmarks (issue 17, point 16), run with
 * {@code ./mvnw -B -o -Pbench verify -pl app -am -Dtest=CampaignBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dvoxdesk.test.db.name=voxdesk_bench_campaigns -Dexec.skip=true}. The simulated PBX runs in a process of its own
 * ({@link CallBenchmark#startPbx}); the application is this JVM, whose CPU is measured.
 * <p>
 * {@link #aThousandSimultaneousCallsSustained}: a campaign at concurrency 1,000 ({@code -Dbench.concurrency}) whose
 * numbers all answer after 0.3 to 5.3 s with a person's "Alô?" and hear a 30 s message, kept up for 2 minutes
 * ({@code -Dbench.sustain-seconds}) once ramped up: the PBX's campaign channels counted every second, the JVM's CPU
 * over the window per call placed and in cores. The reference, measured next in the same JVM against the same PBX:
 * {@link MinimalBroadcaster} keeping as many calls up with the same message and nothing else.
 * <p>
 * {@link #aHundredThousandContactsToTheEnd}: 100,000 contacts ({@code -Dbench.contacts}), imported as CSV, called at
 * concurrency 1,000 with short calls (a person answers, hears a 0.2 s message): the campaign must complete with every
 * contact dialled exactly once (the PBX's own list of dialled endpoints) and none skipped.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "voxdesk.rate-limits.enabled=false" })
class CampaignBenchmark {

	static final int TARGET = Integer.getInteger("bench.concurrency", 1000);

	static final int SUSTAIN_SECONDS = Integer.getInteger("bench.sustain-seconds", 120);

	static final int BIG = Integer.getInteger("bench.contacts", 100_000);

	static final String ADMIN = "acme-admin";

	static final Pattern CAMPAIGN_CHANNEL = Pattern.compile("\"id\":\"vx-k-");

	static final Pattern FLOOR_CHANNEL = Pattern.compile("\"id\":\"floor-");

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	@BeforeAll
	static void startPbx() throws Exception {
		CallBenchmark.startPbx();
	}

	@AfterAll
	static void stopPbx() throws Exception {
		CallBenchmark.stopPbx();
	}

	@Test
	void aThousandSimultaneousCallsSustained() throws Exception {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		var connection = connect(api);
		var message = audio(api, 30.0);
		// Enough numbers for the ramp, the window and the calls in progress at its end: a call lasts about 32 s.
		var count = TARGET + TARGET * (SUSTAIN_SECONDS + 60) / 30;
		var first = VoxdeskApi.freshSubscriberBlock(count * 2);
		// People pick up after 0.3 to 5.3 s, so that calls do not all end in the same second.
		sim("PUT", "/_sim/mixes/55489", "{\"answer\": 100, \"ringingMs\": 300, \"ringingSpreadMs\": 5000}");
		var tag = "bench" + UUID.randomUUID().toString().substring(0, 8);
		importContacts(api, tag, first, count);
		CallBenchmark.maintainTables();
		var campaign = campaign(api, connection, message, tag);

		var started = System.nanoTime();
		assertThat(api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
			.until(() -> channels(CAMPAIGN_CHANNEL) >= TARGET * 0.95);
		var ramp = (System.nanoTime() - started) / 1e9;
		var window = measure(() -> attempts(campaign), CAMPAIGN_CHANNEL);
		api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/cancel");
		var played = sim("GET", "/_sim/played", null);
		var url = played.substring(played.indexOf("sound:http"), played.indexOf('"', played.indexOf("sound:http")));
		await().atMost(Duration.ofSeconds(90)).until(() -> channels(CAMPAIGN_CHANNEL) == 0);

		var floorNumbers = LongStream.range(first + count, first + 2L * count).mapToObj(n -> "55489" + n).iterator();
		Window floor;
		try (var broadcaster = new MinimalBroadcaster(CallBenchmark.pbxUrl, url, floorNumbers)) {
			var floorStart = System.nanoTime();
			broadcaster.start(TARGET);
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
				.until(() -> channels(FLOOR_CHANNEL) >= TARGET * 0.95);
			var floorRamp = (System.nanoTime() - floorStart) / 1e9;
			floor = measure(() -> broadcaster.completed(), FLOOR_CHANNEL);
			System.out.printf(Locale.ROOT, "BENCHMARK reference ramp to %d calls: %.1f s; requests refused: %d%n", TARGET,
					floorRamp, broadcaster.failures());
		}
		report("campaign", ramp, window);
		report("reference", 0, floor);
		System.out.printf(Locale.ROOT, "BENCHMARK campaign / reference: CPU per call %.2f x, cores %.2f x%n",
				window.cpuPerCall() / floor.cpuPerCall(), window.cores() / floor.cores());
		var soft = new SoftAssertions();
		soft.assertThat(window.withinFivePercent()).as("share of seconds with calls in progress within 5 %% of %d",
				TARGET).isGreaterThanOrEqualTo(0.95);
		soft.assertThat(window.cores()).as("cores used by the application at %d calls", TARGET).isLessThan(1.0);
		soft.assertAll();
	}

	@Test
	void aHundredThousandContactsToTheEnd() throws Exception {
		var api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		var connection = connect(api);
		var message = audio(api, 0.2);
		var first = VoxdeskApi.freshSubscriberBlock(BIG);
		sim("PUT", "/_sim/mixes/55489", "{\"answer\": 100, \"ringingMs\": 100}");
		var tag = "big" + UUID.randomUUID().toString().substring(0, 8);
		var imported = System.nanoTime();
		importContacts(api, tag, first, BIG);
		System.out.printf(Locale.ROOT, "BENCHMARK %d contacts imported from CSV in %.1f s%n", BIG,
				(System.nanoTime() - imported) / 1e9);
		// Autovacuum is off on these machines' PostgreSQL (on in production): statistics of the tables the import
		// and the start filled are gathered by hand, as autovacuum would, lest the planner take 100,000 rows for 20.
		CallBenchmark.maintainTables();
		var campaign = campaign(api, connection, message, tag);
		var cpu = os.getProcessCpuTime();
		var started = System.nanoTime();
		assertThat(api.postEmpty(ADMIN, "/api/campaigns/" + campaign + "/start").status()).isEqualTo(200);
		CallBenchmark.maintainTables();
		var deadline = System.nanoTime() + Duration.ofMinutes(Long.getLong("bench.minutes", 60)).toNanos();
		var nextNote = System.nanoTime();
		while (!"completed".equals(api.get(ADMIN, "/api/campaigns/" + campaign).json().path("state").asString())) {
			assertThat(System.nanoTime()).as("the campaign completes in time").isLessThan(deadline);
			if (System.nanoTime() >= nextNote) {
				var placed = attempts(campaign);
				System.out.printf(Locale.ROOT, "BENCHMARK progress after %.0f s: %d calls placed (%.0f/s)%n",
						(System.nanoTime() - started) / 1e9, placed, placed / ((System.nanoTime() - started) / 1e9));
				nextNote += 30_000_000_000L;
			}
			CallBenchmark.parkUntil(System.nanoTime() + 2_000_000_000L);
		}
		var seconds = (System.nanoTime() - started) / 1e9;
		var cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;

		var dialled = new HashMap<String, Integer>();
		var body = sim("GET", "/_sim/dialled", null);
		var matcher = Pattern.compile("PJSIP/(55489[0-9]+)@trunk").matcher(body);
		while (matcher.find()) {
			dialled.merge(matcher.group(1), 1, Integer::sum);
		}
		var ours = LongStream.range(first, first + BIG).mapToObj(n -> "55489" + n).toList();
		var twice = ours.stream().filter(number -> dialled.getOrDefault(number, 0) > 1).count();
		var skipped = ours.stream().filter(number -> !dialled.containsKey(number)).count();
		var report = api.get(ADMIN, "/api/campaigns/" + campaign + "/report").json();
		System.out.printf(Locale.ROOT, "BENCHMARK %d-contact campaign at concurrency %d: completed in %.0f s (%.0f calls/s), "
				+ "CPU of the application %.0f s (%.2f cores, %.2f ms per call); dialled twice: %d, skipped: %d; "
				+ "answered %d, attempts %d%n", BIG, TARGET, seconds, BIG / seconds, cpuSeconds, cpuSeconds / seconds,
				cpuSeconds * 1000 / BIG, twice, skipped, report.path("byOutcome").path("answered").asInt(),
				report.path("attempts").asInt());
		assertThat(twice).as("contacts dialled twice").isZero();
		assertThat(skipped).as("contacts never dialled").isZero();
		assertThat(report.path("attempts").asInt()).isEqualTo(BIG);
	}

	/** What one steady window measured. */
	record Window(double seconds, int calls, double cpuPerCall, double cores, List<Integer> inProgress,
			double withinFivePercent) {
	}

	/** Samples the PBX's calls every second for the window, and this JVM's CPU over it. */
	Window measure(java.util.concurrent.Callable<Integer> completed, Pattern channel) throws Exception {
		var samples = new ArrayList<Integer>();
		var callsBefore = completed.call();
		var cpuBefore = os.getProcessCpuTime();
		var start = System.nanoTime();
		for (int second = 1; second <= SUSTAIN_SECONDS; second++) {
			CallBenchmark.parkUntil(start + second * 1_000_000_000L);
			samples.add(channels(channel));
		}
		var seconds = (System.nanoTime() - start) / 1e9;
		var cpu = (os.getProcessCpuTime() - cpuBefore) / 1e6;
		var calls = completed.call() - callsBefore;
		var within = samples.stream().filter(n -> Math.abs(n - TARGET) <= TARGET * 0.05).count() / (double) samples.size();
		return new Window(seconds, calls, cpu / Math.max(calls, 1), cpu / 1000 / seconds, samples, within);
	}

	static void report(String what, double ramp, Window window) {
		var stats = window.inProgress().stream().mapToInt(Integer::intValue).summaryStatistics();
		System.out.printf(Locale.ROOT, "BENCHMARK %s at %d simultaneous calls: ramp %.1f s; over %.0f s calls in progress "
				+ "min %d / mean %.0f / max %d (%.0f%% of seconds within 5%%); %d calls placed, CPU of this JVM %.2f ms "
				+ "per call, %.2f cores%n", what, TARGET, ramp, window.seconds(), stats.getMin(), stats.getAverage(),
				stats.getMax(), window.withinFivePercent() * 100, window.calls(), window.cpuPerCall(), window.cores());
		// Which seconds fell outside, and by how much: waves of calls ending together look different from stalls.
		var outside = new StringBuilder();
		for (int second = 0; second < window.inProgress().size(); second++) {
			var calls = window.inProgress().get(second);
			if (Math.abs(calls - TARGET) > TARGET * 0.05) {
				outside.append(' ').append(second + 1).append("s=").append(calls);
			}
		}
		System.out.printf(Locale.ROOT, "BENCHMARK %s: seconds outside 5 %%:%s%n", what,
				outside.isEmpty() ? " none" : outside);
	}

	/** Acme's Asterisk connection to the benchmark's PBX, allowed as many channels as the benchmark needs. */
	static String connect(VoxdeskApi api) throws Exception {
		for (var existing : api.get(ADMIN, "/api/provider-connections").json()) {
			api.delete(ADMIN, "/api/provider-connections/" + existing.path("id").asString());
		}
		var settings = AriSimulatorSettings.defaults();
		var created = api.post(ADMIN, "/api/provider-connections", """
				{"kind": "asterisk", "name": "Campaign bench PBX", "enabled": true, "secret": "%s",
				 "settings": {"baseUrl": "%s", "username": "%s", "application": "voxdesk-bench-campaigns",
				              "agentEndpoint": "PJSIP/{extension}", "outboundEndpoint": "PJSIP/{number}@trunk",
				              "channelLimit": "%d"}}"""
			.formatted(settings.password(), CallBenchmark.pbxUrl, settings.username(), TARGET * 2));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var connection = created.json().path("id").asString();
		await().atMost(Duration.ofSeconds(15)).until(() -> api
			.postEmpty(ADMIN, "/api/provider-connections/" + connection + "/test").json().path("ok").asBoolean());
		return connection;
	}

	static String audio(VoxdeskApi api, double seconds) {
		var parts = new LinkedMultiValueMap<String, Object>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(AudioApiTests.wav(8000, 1, seconds)) {

			@Override
			public String getFilename() {
				return "bench.wav";
			}
		}));
		parts.add("kind", "campaign-message");
		var uploaded = api.postMultipart(ADMIN, "/api/audio", parts);
		assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
		return uploaded.json().path("id").asString();
	}

	/** Imports {@code count} contacts with consecutive mobile numbers, tagged {@code tag}, through the CSV import. */
	static void importContacts(VoxdeskApi api, String tag, long first, int count) {
		var csv = new StringBuilder("name,phone,tags\n");
		for (int i = 0; i < count; i++) {
			csv.append("Cliente ").append(first + i).append(",+55489").append(first + i).append(',').append(tag).append('\n');
		}
		var parts = new LinkedMultiValueMap<String, Object>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(csv.toString().getBytes()) {

			@Override
			public String getFilename() {
				return "bench.csv";
			}
		}));
		var accepted = api.postMultipart(ADMIN, "/api/contacts/imports", parts);
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		var location = "/api/contacts/imports/" + accepted.json().path("id").asString();
		var done = await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(1))
			.until(() -> api.get(ADMIN, location).json(), found -> !found.path("status").asString().matches("QUEUED|RUNNING"));
		assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
		assertThat(done.path("rowsImported").asInt()).as(done.toString()).isEqualTo(count);
	}

	static String campaign(VoxdeskApi api, String connection, String message, String tag) {
		var created = api.post(ADMIN, "/api/campaigns", """
				{"name": "Bench %s", "connectionId": "%s", "messageAudioId": "%s", "callerId": "554833330100",
				 "contacts": {"tags": ["%s"]}, "concurrency": %d,
				 "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "23:59",
				            "timeZone": "UTC"}}""".formatted(tag, connection, message, tag, TARGET));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	int channels(Pattern kind) throws Exception {
		var body = sim("GET", "/_sim/channels", null);
		var matcher = kind.matcher(body);
		var count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	String sim(String method, String path, @org.jspecify.annotations.Nullable String json) throws Exception {
		var request = HttpRequest.newBuilder(URI.create(CallBenchmark.pbxUrl + path))
			.header("Content-Type", "application/json")
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
			.build();
		var response = http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
		return response.body();
	}

	static int attempts(String campaign) throws Exception {
		try (var connection = TestDatabase.get().ownerConnection();
				var query = connection.prepareStatement("select count(*) from campaign_attempts where campaign_id = ?")) {
			query.setObject(1, UUID.fromString(campaign));
			try (var result = query.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}
}

package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays one recorded scenario against a simulator: opens the recorded WebSockets, sends the recorded REST requests
 * in order (with the ids the simulator assigned in place of the recorded ones) and compares responses and events.
 *
 * <p>
 * Before each request it waits until the events that had arrived before that request in the recording have arrived
 * here too, because the recording client also waited for them (StasisStart before playing, and so on).
 *
 * <p>
 * Events are compared per channel (and per Dial peer, playback list, recording list, bridge list), in order, not as
 * one global sequence: Asterisk delivers the events of the two halves of a Local channel pair from different
 * threads, so their interleaving differs between runs even in the recordings (compare the position of the first
 * {@code Dial} in outbound_noanswer_timeout and outbound_cancel_while_ringing). Device states are compared by their
 * final value only: Asterisk sends them duplicated a varying number of times.
 */
final class ScenarioReplay {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The per-process sequence in a channel name, e.g. {@code -0000000a} in {@code Local/x@y-0000000a;1}. */
	private static final Pattern CHANNEL_SEQUENCE = Pattern.compile("-[0-9a-f]{8}(?=(;[12])?(\\W|$))");

	/** Fields whose values differ between any two runs. */
	private static final Set<String> VOLATILE = Set.of("id", "creationtime", "timestamp", "startup_time",
			"last_reload_time");

	private record Recorded(int index, String conn, JsonNode event) {
	}

	private record Projected(String group, String item) {
	}

	private final AriSimulator simulator;

	private final String scenario;

	private final List<JsonNode> exchanges = new ArrayList<>();

	private final List<Recorded> recordedEvents = new ArrayList<>();

	private final Map<String, EventSocket> sockets = new LinkedHashMap<>();

	/** Recorded channel id to normalized channel name. */
	private final Map<String, String> recordedNames = new HashMap<>();

	/** Per normalized channel name, the recorded ids in order of first appearance. */
	private final Map<String, List<String>> recordedIdsByName = new HashMap<>();

	/** Simulator channel id to normalized channel name. */
	private final Map<String, String> simNames = new ConcurrentHashMap<>();

	/** Per normalized channel name, the simulator's ids in order of first appearance. */
	private final Map<String, List<String>> simIdsByName = new ConcurrentHashMap<>();

	/** Recorded ids of bridges and playbacks the server named, to the ids the simulator gave them. */
	private final Map<String, String> createdIds = new HashMap<>();

	private boolean socketClosed;

	ScenarioReplay(AriSimulator simulator, String scenario) {
		this.simulator = simulator;
		this.scenario = scenario;
		JsonNode file = load(scenario);
		file.get("exchanges").values().forEach(exchanges::add);
		for (int i = 0; i < exchanges.size(); i++) {
			JsonNode exchange = exchanges.get(i);
			if ("event".equals(exchange.get("kind").asString())) {
				recordedEvents.add(new Recorded(i, exchange.get("conn").asString(), exchange.get("event")));
				learnNames(exchange.get("event"), recordedNames, recordedIdsByName);
			}
			else if ("rest".equals(exchange.get("kind").asString())) {
				learnNames(exchange.get("response").path("body"), recordedNames, recordedIdsByName);
			}
		}
	}

	static JsonNode load(String scenario) {
		try (InputStream in = ScenarioReplay.class.getResourceAsStream("/fixtures/ari/" + scenario + ".json")) {
			if (in == null) {
				throw new IllegalArgumentException("no recorded scenario " + scenario);
			}
			return JSON.readTree(in.readAllBytes());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Replays every exchange; with {@code compareEvents} also waits for and compares the events. */
	void run(boolean compareEvents) {
		for (int i = 0; i < exchanges.size(); i++) {
			JsonNode exchange = exchanges.get(i);
			String kind = exchange.get("kind").asString();
			if ("rest".equals(kind)) {
				if (compareEvents) {
					awaitEventsBefore(i);
				}
				rest(exchange);
			}
			else if ("ws".equals(kind)) {
				String action = exchange.get("action").asString();
				String conn = exchange.get("conn").asString();
				if ("connect".equals(action)) {
					if (compareEvents) {
						awaitEventsBefore(i);
					}
					connect(i, conn, exchange);
				}
				else if ("client_close".equals(action) && sockets.containsKey(conn)) {
					if (compareEvents) {
						awaitEventsBefore(i);
					}
					sockets.get(conn).close();
					socketClosed = true;
				}
			}
		}
		if (compareEvents) {
			Map<String, List<String>> expected = comparable(project(recordedEvents, recordedNames));
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.untilAsserted(() -> assertThat(comparable(received())).as(scenario + ": events per channel")
					.isEqualTo(expected));
		}
	}

	void closeSockets() {
		sockets.values().forEach(socket -> {
			if (!socket.isClosed()) {
				socket.close();
			}
		});
	}

	// ---------------------------------------------------------------- WebSockets

	private void connect(int index, String conn, JsonNode exchange) {
		URI recorded = URI.create(exchange.get("url").asString());
		String pathAndQuery = recorded.getRawPath() + "?" + recorded.getRawQuery();
		JsonNode rejection = exchanges.stream()
			.skip(index + 1)
			.filter(other -> "ws".equals(other.get("kind").asString()) && conn.equals(other.get("conn").asString())
					&& "rejected".equals(other.get("action").asString()))
			.findFirst()
			.orElse(null);
		if (rejection != null) {
			Http.Result result = Http.upgrade(simulator.port(), pathAndQuery);
			String label = scenario + ": upgrade of " + conn;
			assertThat(result.status()).as(label).isEqualTo(rejection.get("status").asInt());
			assertThat(result.header("content-type")).as(label)
				.isEqualTo(rejection.get("headers").get("content-type").asString());
			JsonNode body = rejection.get("body");
			if (body.isString()) {
				assertThat(result.text()).as(label).isEqualTo(body.asString());
			}
			else {
				assertThat(result.json()).as(label).isEqualTo(body);
			}
			if (result.status() == 401) {
				assertThat(result.header("www-authenticate")).isEqualTo("Basic realm=\"Asterisk REST Interface\"");
			}
			return;
		}
		if (socketClosed) {
			awaitRecordedDisconnectOutcome(index);
		}
		sockets.put(conn, EventSocket.open(URI.create("ws://127.0.0.1:" + simulator.port() + pathAndQuery)));
	}

	/**
	 * The recording client reconnected after staying away for seconds, long enough for calls to end meanwhile;
	 * instead of sleeping as long, wait until the channels the recording then reports as gone (404) are gone.
	 */
	private void awaitRecordedDisconnectOutcome(int index) {
		Set<String> gone = new LinkedHashSet<>();
		for (JsonNode exchange : exchanges.subList(index, exchanges.size())) {
			if ("rest".equals(exchange.get("kind").asString())
					&& "GET".equals(exchange.get("request").get("method").asString())
					&& exchange.get("request").get("path").asString().matches("/ari/channels/[^/]+")
					&& exchange.get("response").get("status").asInt() == 404) {
				String path = exchange.get("request").get("path").asString();
				gone.add(path.substring("/ari/channels/".length()));
			}
		}
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
			Set<String> live = simulator.channels().stream().map(SimChannel::id).collect(Collectors.toSet());
			gone.forEach(id -> assertThat(live).as("channel %s ended while disconnected", id).doesNotContain(mapId(id)));
		});
	}

	// ---------------------------------------------------------------- REST

	private void rest(JsonNode exchange) {
		JsonNode request = exchange.get("request");
		JsonNode recorded = exchange.get("response");
		String method = request.get("method").asString();
		StringBuilder uri = new StringBuilder("http://127.0.0.1:").append(simulator.port());
		for (String segment : request.get("path").asString().substring(1).split("/")) {
			uri.append('/').append(encode(mapId(segment)).replace("+", "%20"));
		}
		String separator = "?";
		for (Map.Entry<String, JsonNode> parameter : request.get("query").properties()) {
			String value = List.of(parameter.getValue().asString().split(",", -1))
				.stream()
				.map(this::mapId)
				.collect(Collectors.joining(","));
			uri.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
			separator = "&";
		}
		Map<String, String> headers = new LinkedHashMap<>();
		request.get("headers").properties().forEach(header -> headers.put(header.getKey(), header.getValue().asString()));
		JsonNode body = request.get("body");
		Http.Result result = Http.send(method, URI.create(uri.toString()), headers,
				body == null || body.isNull() ? null : JSON.writeValueAsString(body));
		String label = scenario + ": " + method + " " + request.get("path").asString()
				+ (exchange.has("label") ? " (" + exchange.get("label").asString() + ")" : "");
		assertThat(result.status()).as(label + " status, body " + result.text())
			.isEqualTo(recorded.get("status").asInt());
		String contentType = recorded.get("headers").path("content-type").asString(null);
		if (contentType != null) {
			assertThat(result.header("content-type")).as(label + " content type").isEqualTo(contentType);
		}
		for (String header : List.of("www-authenticate", "allow")) {
			String expected = recorded.get("headers").path(header).asString(null);
			if (expected != null) {
				assertThat(result.header(header)).as(label + " " + header).isEqualTo(expected);
			}
		}
		if (recorded.has("body_base64")) {
			assertThat(new String(result.body(), 0, 4, StandardCharsets.US_ASCII)).as(label).isEqualTo("RIFF");
			return;
		}
		JsonNode expectedBody = recorded.get("body");
		if (expectedBody == null || expectedBody.isNull()) {
			assertThat(result.body()).as(label + " body").isEmpty();
			return;
		}
		received();
		JsonNode actualBody = result.json();
		learnNames(actualBody, simNames, simIdsByName);
		if (expectedBody.isObject() && expectedBody.has("id") && actualBody.has("id")
				&& !expectedBody.get("id").asString().equals(actualBody.get("id").asString())) {
			createdIds.put(expectedBody.get("id").asString(), actualBody.get("id").asString());
		}
		compareJson(label, "", expectedBody, actualBody);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	/** Compares a response body with the recorded one: same keys everywhere, same values except volatile ones. */
	private void compareJson(String label, String path, JsonNode expected, JsonNode actual) {
		if (expected.isObject()) {
			assertThat(actual.isObject()).as(label + " " + path + " is an object: " + actual).isTrue();
			assertThat(actual.propertyNames()).as(label + " keys of " + path)
				.containsExactlyInAnyOrderElementsOf(expected.propertyNames());
			for (String key : expected.propertyNames()) {
				if (!VOLATILE.contains(key)) {
					compareJson(label, path + "." + key, expected.get(key), actual.get(key));
				}
			}
		}
		else if (expected.isArray()) {
			assertThat(actual.isArray()).as(label + " " + path + " is an array: " + actual).isTrue();
			List<JsonNode> expectedItems = sortedByName(expected.values(), recordedNames);
			List<JsonNode> actualItems = sortedByName(actual.values(), simNames);
			if (!expectedItems.isEmpty() && expectedItems.get(0).isObject() && expectedItems.get(0).has("dialplan")) {
				// Channel lists come in no particular order: compare them by name.
				assertThat(actualItems.stream().map(item -> normalize(item.get("name").asString(), simNames)))
					.as(label + " channels")
					.containsExactlyElementsOf(expectedItems.stream()
						.map(item -> normalize(item.get("name").asString(), recordedNames))
						.toList());
			}
			assertThat(actualItems).as(label + " size of " + path).hasSameSizeAs(expectedItems);
			for (int i = 0; i < expectedItems.size(); i++) {
				compareJson(label, path + "[" + i + "]", expectedItems.get(i), actualItems.get(i));
			}
		}
		else {
			assertThat(normalize(actual.asString(), simNames)).as(label + " " + path)
				.isEqualTo(normalize(expected.asString(), recordedNames));
		}
	}

	private List<JsonNode> sortedByName(Collection<JsonNode> items, Map<String, String> names) {
		List<JsonNode> sorted = new ArrayList<>(items);
		if (!sorted.isEmpty() && sorted.get(0).isObject() && sorted.get(0).has("dialplan")) {
			sorted.sort(Comparator.comparing(item -> normalize(item.get("name").asString(), names)));
		}
		return sorted;
	}

	// ---------------------------------------------------------------- events

	/** Waits until, for every channel, the events recorded before exchange {@code index} have arrived in order. */
	private void awaitEventsBefore(int index) {
		Map<String, List<String>> expected = project(
				recordedEvents.stream().filter(recorded -> recorded.index() < index).toList(), recordedNames);
		expected.keySet().removeIf(ScenarioReplay::isDeviceGroup);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).untilAsserted(() -> {
			Map<String, List<String>> actual = received();
			expected.forEach((group, items) -> assertThat(actual.getOrDefault(group, List.of()))
				.as("%s: events of %s before exchange %d", scenario, group, index)
				.startsWith(items.toArray(String[]::new)));
		});
	}

	private Map<String, List<String>> received() {
		List<Recorded> events = new ArrayList<>();
		sockets.forEach((conn, socket) -> socket.events().forEach(event -> {
			learnNames(event, simNames, simIdsByName);
			events.add(new Recorded(-1, conn, event));
		}));
		return project(events, simNames);
	}

	private static boolean isDeviceGroup(String group) {
		return group.contains(" device ");
	}

	/** Device states compare by their last value; everything else item by item. */
	private static Map<String, List<String>> comparable(Map<String, List<String>> projected) {
		Map<String, List<String>> comparable = new TreeMap<>();
		projected.forEach((group, items) -> comparable.put(group,
				isDeviceGroup(group) ? List.of(items.get(items.size() - 1)) : items));
		return comparable;
	}

	private Map<String, List<String>> project(List<Recorded> events, Map<String, String> names) {
		Map<String, List<String>> groups = new TreeMap<>();
		for (Recorded recorded : events) {
			Projected projected = project(recorded.conn(), recorded.event(), names);
			groups.computeIfAbsent(projected.group(), group -> new ArrayList<>()).add(projected.item());
		}
		return groups;
	}

	private Projected project(String conn, JsonNode event, Map<String, String> names) {
		String type = event.get("type").asString();
		if (event.has("channel")) {
			JsonNode channel = event.get("channel");
			StringBuilder item = new StringBuilder(type).append(' ').append(channel(channel, names));
			switch (type) {
				case "ChannelDialplan" -> item.append(" app=")
					.append(event.get("dialplan_app").asString())
					.append('(')
					.append(normalize(event.get("dialplan_app_data").asString(), names))
					.append(')');
				case "ChannelVarset" -> item.append(' ')
					.append(event.get("variable").asString())
					.append('=')
					.append(normalize(event.get("value").asString(), names));
				case "ChannelHangupRequest" -> item.append(" cause=")
					.append(event.get("cause").asInt())
					.append(" soft=")
					.append(event.path("soft").asBoolean(false));
				case "ChannelDestroyed" -> item.append(" cause=")
					.append(event.get("cause").asInt())
					.append(' ')
					.append(event.get("cause_txt").asString());
				case "StasisStart" -> item.append(" args=")
					.append(normalize(event.get("args").toString(), names));
				case "ChannelDtmfReceived" -> item.append(" digit=")
					.append(event.get("digit").asString())
					.append(" duration=")
					.append(event.get("duration_ms").asInt());
				case "ChannelCallerId" -> item.append(" presentation=")
					.append(event.get("caller_presentation_txt").asString());
				case "ChannelEnteredBridge", "ChannelLeftBridge" -> item.append(" bridge=")
					.append(event.get("bridge").get("name").asString())
					.append(" channels=")
					.append(event.get("bridge").get("channels").size());
				default -> {
				}
			}
			return new Projected(conn + " " + normalize(channel.get("name").asString(), names), item.toString());
		}
		if (event.has("peer")) {
			JsonNode peer = event.get("peer");
			// Not the peer's state: whether Dial "" comes before or after the peer's Ringing is a race in Asterisk.
			return new Projected(conn + " Dial " + normalize(peer.get("name").asString(), names),
					event.get("dialstatus").asString() + " dialstring=" + event.get("dialstring").asString());
		}
		if (event.has("playback")) {
			JsonNode playback = event.get("playback");
			return new Projected(conn + " playbacks",
					type + " " + playback.get("state").asString() + " " + playback.get("media_uri").asString()
							+ " next=" + playback.path("next_media_uri").asString("-") + " "
							+ normalize(playback.get("target_uri").asString(), names));
		}
		if (event.has("recording")) {
			JsonNode recording = event.get("recording");
			return new Projected(conn + " recordings",
					type + " " + recording.get("name").asString() + " " + recording.get("format").asString() + " "
							+ recording.get("state").asString() + " "
							+ normalize(recording.get("target_uri").asString(), names)
							+ (recording.has("duration") ? " with duration" : ""));
		}
		if (event.has("bridge")) {
			JsonNode bridge = event.get("bridge");
			return new Projected(conn + " bridges", type + " " + bridge.get("name").asString() + " "
					+ bridge.get("bridge_type").asString() + " channels=" + bridge.get("channels").size());
		}
		if (event.has("device_state")) {
			JsonNode state = event.get("device_state");
			return new Projected(conn + " device " + state.get("name").asString(), state.get("state").asString());
		}
		return new Projected(conn + " " + type, type);
	}

	private String channel(JsonNode channel, Map<String, String> names) {
		JsonNode dialplan = channel.get("dialplan");
		return channel.get("state").asString() + " caller=" + channel.get("caller").get("name").asString() + "/"
				+ channel.get("caller").get("number").asString() + " connected="
				+ channel.get("connected").get("name").asString() + "/"
				+ channel.get("connected").get("number").asString() + " @" + dialplan.get("context").asString() + ","
				+ dialplan.get("exten").asString() + "," + dialplan.get("priority").asInt() + ","
				+ dialplan.get("app_name").asString() + "(" + normalize(dialplan.get("app_data").asString(), names)
				+ ")";
	}

	// ---------------------------------------------------------------- ids and names

	/** Collects channel ids and names from any JSON: events, channel objects, lists of channels. */
	private static void learnNames(@Nullable JsonNode json, Map<String, String> names,
			Map<String, List<String>> idsByName) {
		if (json == null) {
			return;
		}
		if (json.isObject()) {
			if (json.has("id") && json.has("name") && json.has("dialplan")) {
				String id = json.get("id").asString();
				String name = normalizeName(json.get("name").asString());
				if (names.putIfAbsent(id, name) == null) {
					idsByName.computeIfAbsent(name, key -> new CopyOnWriteArrayList<>()).add(id);
				}
			}
			json.values().forEach(child -> learnNames(child, names, idsByName));
		}
		else if (json.isArray()) {
			json.values().forEach(child -> learnNames(child, names, idsByName));
		}
	}

	private static String normalizeName(String name) {
		return CHANNEL_SEQUENCE.matcher(name).replaceAll("");
	}

	/** Drops channel sequence numbers and replaces channel ids by channel names, so two runs compare equal. */
	private String normalize(String text, Map<String, String> names) {
		String normalized = normalizeName(text);
		List<String> ids = new ArrayList<>(names.keySet());
		ids.sort(Comparator.comparingInt(String::length).reversed());
		for (String id : ids) {
			if (normalized.contains(id)) {
				normalized = normalized.replace(id, "<" + names.get(id) + ">");
			}
		}
		if (names == recordedNames) {
			for (Map.Entry<String, String> created : createdIds.entrySet()) {
				normalized = normalized.replace(created.getKey(), created.getValue());
			}
		}
		return normalized;
	}

	/** The simulator's id for a recorded channel, bridge or playback id; anything else unchanged. */
	private String mapId(String recorded) {
		String created = createdIds.get(recorded);
		if (created != null) {
			return created;
		}
		String name = recordedNames.get(recorded);
		if (name != null) {
			// The n-th channel of a name in the recording is the n-th channel of that name here.
			received();
			int nth = recordedIdsByName.get(name).indexOf(recorded);
			List<String> simIds = simIdsByName.getOrDefault(name, List.of());
			if (nth < simIds.size()) {
				return simIds.get(nth);
			}
		}
		return recorded;
	}
}

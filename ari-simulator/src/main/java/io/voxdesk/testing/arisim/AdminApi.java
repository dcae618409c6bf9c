package io.voxdesk.testing.arisim;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.voxdesk.testing.arisim.HttpExchange.Request;
import io.voxdesk.testing.arisim.HttpExchange.Response;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's own HTTP API under {@code /_sim}, so that the demo and black-box tests can script numbers and
 * play the far end without Java. It needs no credentials: it is a test double's back door, not part of ARI.
 */
final class AdminApi {

	private final AriSimulator simulator;

	AdminApi(AriSimulator simulator) {
		this.simulator = simulator;
	}

	Response handle(Request request) {
		List<String> path = request.segments().subList(1, request.segments().size());
		String route = request.method() + " " + String.join("/", path.stream().map(AdminApi::shape).toList());
		try {
			return switch (route) {
				case "GET scripts" -> Response.json(200, scripts());
				case "PUT scripts/*" -> {
					simulator.script(path.get(1), parseScript(request.body()));
					yield Response.noContent();
				}
				case "DELETE scripts/*" -> {
					simulator.removeScript(path.get(1));
					yield Response.noContent();
				}
				case "PUT default-script" -> {
					simulator.defaultScript(parseScript(request.body()));
					yield Response.noContent();
				}
				case "PUT mixes/*" -> {
					var body = request.body();
					if (body == null || !body.isObject()) {
						throw AriError.of(400, "A JSON object with the shares (answer, noAnswer, busy, machine, fail) is required");
					}
					try {
						simulator.mix(path.get(1), new OutcomeMix(body.path("answer").asInt(0), body.path("noAnswer").asInt(0),
								body.path("busy").asInt(0), body.path("machine").asInt(0), body.path("fail").asInt(0),
								Duration.ofMillis(body.path("ringingMs").asLong(200)),
								Duration.ofMillis(body.path("ringingSpreadMs").asLong(0))));
					}
					catch (IllegalArgumentException ex) {
						throw AriError.of(400, String.valueOf(ex.getMessage()));
					}
					yield Response.noContent();
				}
				case "DELETE mixes/*" -> {
					simulator.removeMix(path.get(1));
					yield Response.noContent();
				}
				case "PUT channel-limit" -> {
					int limit = parseInt(request.param("max", "0"), "max");
					if (limit < 0) {
						throw AriError.of(400, "max must be 0 (no limit) or more");
					}
					simulator.channelLimit(limit);
					yield Response.noContent();
				}
				case "GET channels" -> Response.json(200, channels());
				case "POST channels/*/hangup" -> {
					int cause = parseInt(request.param("cause", "16"), "cause");
					simulator.hangUpFromFarEnd(path.get(1), cause);
					yield Response.noContent();
				}
				case "POST channels/*/answer" -> {
					try {
						simulator.answerFromFarEnd(path.get(1));
					}
					catch (IllegalArgumentException ex) {
						throw AriError.channelNotFound();
					}
					catch (IllegalStateException ex) {
						throw AriError.of(409, String.valueOf(ex.getMessage()));
					}
					yield Response.noContent();
				}
				case "POST channels/*/dtmf" -> {
					String digits = request.param("digits", "");
					if (digits.isEmpty()) {
						throw AriError.missing("digits");
					}
					digits.chars().forEach(digit -> simulator.sendDtmf(path.get(1), (char) digit));
					yield Response.noContent();
				}
				case "PUT endpoints/*/*" -> {
					try {
						simulator.endpointState(path.get(1), path.get(2), request.param("state", ""));
					}
					catch (IllegalArgumentException ex) {
						throw AriError.of(400, String.valueOf(ex.getMessage()));
					}
					yield Response.noContent();
				}
				case "POST calls" -> {
					String to = request.param("to", "");
					if (!to.matches("[0-9]{2,}")) {
						throw AriError.of(400, "to must be the dialled number in digits (at least two)");
					}
					String from = request.param("from", "0612345678");
					String id = "outbound".equals(request.param("direction", "inbound"))
							? simulator.callOut(request.param("app"), from, to)
							: simulator.callIn(request.param("app"), to, request.param("name", "Customer"), from);
					yield Response.json(200, Json.object().put("id", id));
				}
				case "POST calls/burst" -> {
					String to = request.param("to", "");
					String first = request.param("first-from", "");
					if (!to.matches("[0-9]{2,}") || !first.matches("[0-9]{4,18}")) {
						throw AriError.of(400, "to and first-from must be digits (the dialled number, the first caller's number)");
					}
					int count = parseInt(request.param("count", "1"), "count");
					int spacing = parseInt(request.param("spacing-ms", "5"), "spacing-ms");
					if (count < 1 || count > 10_000 || spacing < 0 || spacing > 60_000) {
						throw AriError.of(400, "count must be 1 to 10000 and spacing-ms 0 to 60000");
					}
					simulator.burst(request.param("app"), to, request.param("name", "Customer"), Long.parseLong(first),
							count, Duration.ofMillis(spacing));
					yield Response.json(202, Json.object().put("count", count));
				}
				case "GET history" -> Response.json(200, history());
				case "DELETE history" -> {
					simulator.pbx().clearHistory();
					yield Response.noContent();
				}
				case "GET dialled" -> {
					ArrayNode dialled = Json.array();
					simulator.dialled().forEach(dialled::add);
					yield Response.json(200, dialled);
				}
				case "GET played" -> {
					ArrayNode played = Json.array();
					simulator.played().forEach(played::add);
					yield Response.json(200, played);
				}
				case "POST websockets/drop" -> {
					simulator.dropWebSockets();
					yield Response.noContent();
				}
				case "PUT websockets/refuse" -> {
					simulator.refuseWebSockets(Boolean.parseBoolean(request.param("refuse", "true")));
					yield Response.noContent();
				}
				default -> Response.json(404, Json.message("Resource not found"));
			};
		}
		catch (AriError error) {
			return Response.error(error);
		}
		catch (IllegalArgumentException ex) {
			return Response.json(404, Json.message(String.valueOf(ex.getMessage())));
		}
	}

	private static String shape(String segment) {
		return switch (segment) {
			case "mixes", "channel-limit", "scripts", "default-script", "channels", "hangup", "answer", "dtmf", "dialled", "websockets",
					"drop", "refuse", "calls", "burst", "endpoints", "history", "played" ->
				segment;
			default -> "*";
		};
	}

	private ObjectNode scripts() {
		ObjectNode json = Json.object();
		json.set("default", toJson(simulator.defaultScriptForAdmin()));
		ObjectNode numbers = json.putObject("numbers");
		simulator.scriptsForAdmin().forEach((number, script) -> numbers.set(number, toJson(script)));
		return json;
	}

	/** {@code [{"at":"2026-…Z","kind":"stasis-start","channel":"…","endpoint":"…","args":[…],"variables":{…}}]}. */
	private ArrayNode history() {
		ArrayNode list = Json.array();
		for (ChannelHistory.Moment moment : simulator.pbx().history()) {
			ObjectNode json = list.addObject()
				.put("at", moment.at().toString())
				.put("kind", moment.kind())
				.put("channel", moment.channel())
				.put("endpoint", moment.endpoint());
			ArrayNode args = json.putArray("args");
			moment.args().forEach(args::add);
			ObjectNode variables = json.putObject("variables");
			moment.variables().forEach(variables::put);
		}
		return list;
	}

	private ArrayNode channels() {
		ArrayNode list = Json.array();
		for (SimChannel channel : simulator.channels()) {
			ObjectNode json = list.addObject()
				.put("id", channel.id())
				.put("name", channel.name())
				.put("state", channel.state())
				.put("endpoint", channel.endpoint())
				.put("number", channel.number());
			if (channel.bridgeId() == null) {
				json.putNull("bridgeId");
			}
			else {
				json.put("bridgeId", channel.bridgeId());
			}
			ObjectNode variables = json.putObject("variables");
			channel.variables().forEach(variables::put);
		}
		return list;
	}

	/**
	 * Reads {@code {"kind":"answer","ringingMs":800,"hangUpAfterMs":null,"dtmf":"1","dtmfAfterMs":500,
	 * "greetingMs":4500}}.
	 */
	static CallScript parseScript(@Nullable JsonNode body) {
		if (body == null || !body.isObject()) {
			throw AriError.of(400, "A JSON object with a \"kind\" is required");
		}
		String kind = body.path("kind").asString("").toLowerCase(Locale.ROOT).replace("_", "");
		try {
			CallScript script = switch (kind) {
				case "answer" -> CallScript.answerAfter(millis(body, "ringingMs", Duration.ZERO));
				case "busy" -> CallScript.busy();
				case "congestion" -> CallScript.congestion();
				case "noanswer" -> CallScript.noAnswer();
				case "unavailable" -> CallScript.unavailable();
				default -> throw AriError.of(400,
						"kind must be answer, busy, congestion, noAnswer or unavailable, was '" + kind + "'");
			};
			Duration hangUpAfter = millis(body, "hangUpAfterMs", null);
			if (hangUpAfter != null) {
				script = script.thenHangUpAfter(hangUpAfter);
			}
			JsonNode dtmf = body.get("dtmf");
			if (dtmf != null && !dtmf.isNull()) {
				script = script.thenDtmf(dtmf.asString(), millis(body, "dtmfAfterMs", Duration.ZERO));
			}
			Duration greeting = millis(body, "greetingMs", null);
			if (greeting != null) {
				script = script.thenSays(greeting);
			}
			return script;
		}
		catch (IllegalArgumentException ex) {
			throw AriError.of(400, String.valueOf(ex.getMessage()));
		}
	}

	private static ObjectNode toJson(CallScript script) {
		String kind = switch (script.outcome()) {
			case ANSWER -> "answer";
			case BUSY -> "busy";
			case CONGESTION -> "congestion";
			case NO_ANSWER -> "noAnswer";
			case UNAVAILABLE -> "unavailable";
		};
		ObjectNode json = Json.object().put("kind", kind).put("ringingMs", script.ringing().toMillis());
		Duration talk = script.talk();
		if (talk == null) {
			json.putNull("hangUpAfterMs");
		}
		else {
			json.put("hangUpAfterMs", talk.toMillis());
		}
		Duration dtmfAfter = script.dtmfAfter();
		if (script.dtmf() != null && dtmfAfter != null) {
			json.put("dtmf", script.dtmf()).put("dtmfAfterMs", dtmfAfter.toMillis());
		}
		Duration greeting = script.greeting();
		if (greeting != null) {
			json.put("greetingMs", greeting.toMillis());
		}
		return json;
	}

	private static @Nullable Duration millis(JsonNode body, String field, @Nullable Duration fallback) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return fallback;
		}
		if (!value.isIntegralNumber()) {
			throw AriError.of(400, field + " must be a whole number of milliseconds");
		}
		return Duration.ofMillis(value.asLong());
	}

	private static int parseInt(String value, String name) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw AriError.of(400, name + " must be a number");
		}
	}
}

package io.voxdesk.testing.arisim;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.voxdesk.testing.arisim.HttpExchange.Request;
import io.voxdesk.testing.arisim.HttpExchange.Response;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The REST resources under {@code /ari}: routing, parameters and the status codes Asterisk answers with. */
final class AriApi {

	/** Handles one matched route; {@code vars} holds the path variables by name. */
	private interface Handler {

		Response handle(Request request, Map<String, String> vars);
	}

	private record Route(String method, String[] pattern, Handler handler) {

		@Nullable Map<String, String> match(List<String> segments) {
			if (segments.size() != pattern.length) {
				return null;
			}
			Map<String, String> vars = new LinkedHashMap<>();
			for (int i = 0; i < pattern.length; i++) {
				String part = pattern[i];
				if (part.startsWith("{")) {
					vars.put(part.substring(1, part.length() - 1), segments.get(i));
				}
				else if (!part.equals(segments.get(i))) {
					return null;
				}
			}
			return vars;
		}
	}

	private final Pbx pbx;

	private final List<Route> routes = new ArrayList<>();

	AriApi(Pbx pbx) {
		this.pbx = pbx;
		asterisk();
		applications();
		channels();
		bridges();
		recordings();
		playbacks();
		others();
	}

	/** Handles a request whose path starts with {@code /ari/}; {@code segments} still include {@code ari}. */
	Response handle(Request request) {
		List<String> path = request.segments().subList(1, request.segments().size());
		Set<String> allowed = new LinkedHashSet<>();
		for (Route route : routes) {
			Map<String, String> vars = route.match(path);
			if (vars == null) {
				continue;
			}
			if (route.method().equals(request.method())) {
				try {
					return route.handler().handle(request, vars);
				}
				catch (AriError error) {
					return Response.error(error);
				}
			}
			allowed.add(route.method());
		}
		if (allowed.isEmpty()) {
			return Response.json(404, Json.message("Resource not found"));
		}
		Response response = Response.json(405, Json.message("Invalid method"));
		return new Response(405, response.body(), response.contentType(),
				Map.of("Allow", "OPTIONS," + String.join(",", allowed)));
	}

	private void route(String method, String pattern, Handler handler) {
		routes.add(new Route(method, pattern.split("/"), handler));
	}

	private static Response ok(JsonNode body) {
		return Response.json(200, body);
	}

	private static Response created(JsonNode body) {
		return Response.json(201, body);
	}

	private static Response done() {
		return Response.noContent();
	}

	private static String required(Request request, String name) {
		String value = request.param(name);
		if (value == null || value.isEmpty()) {
			throw AriError.missing(name);
		}
		return value;
	}

	private static int integer(Request request, String name, int fallback) {
		String value = request.param(name);
		if (value == null || value.isEmpty()) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw AriError.of(400, "Invalid value for " + name);
		}
	}

	private static List<String> list(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return List.of();
		}
		return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
	}

	// ---------------------------------------------------------------- resources

	private void asterisk() {
		route("GET", "asterisk/info", (request, vars) -> ok(pbx.info()));
		route("GET", "asterisk/ping", (request, vars) -> ok(pbx.ping()));
		route("GET", "asterisk/modules/{name}", (request, vars) -> ok(pbx.module(vars.get("name"))
			.orElseThrow(() -> AriError.of(404, "Module could not be found in running modules."))));
		route("GET", "asterisk/variable", (request, vars) -> {
			String name = request.param("variable");
			if (name == null || name.isEmpty()) {
				throw AriError.of(400, "Variable name is required");
			}
			return ok(Json.object().put("value", pbx.globalVariable(name)));
		});
		route("POST", "asterisk/variable", (request, vars) -> {
			String name = request.param("variable");
			if (name == null || name.isEmpty()) {
				throw AriError.of(400, "Variable name is required");
			}
			pbx.globalVariable(name, request.param("value", ""));
			return done();
		});
	}

	private void applications() {
		route("GET", "applications", (request, vars) -> ok(pbx.applications()));
		route("GET", "applications/{app}", (request, vars) -> ok(pbx.application(vars.get("app"))));
		route("POST", "applications/{app}/subscription",
				(request, vars) -> ok(pbx.subscribe(vars.get("app"), eventSources(request), true)));
		route("DELETE", "applications/{app}/subscription",
				(request, vars) -> ok(pbx.subscribe(vars.get("app"), eventSources(request), false)));
		route("GET", "api-docs/{file}", (request, vars) -> apiDocs(vars.get("file"), request.host()));
	}

	private static List<String> eventSources(Request request) {
		List<String> sources = list(request.param("eventSource"));
		if (sources.isEmpty()) {
			throw AriError.missing("eventSource");
		}
		return sources;
	}

	private static Response apiDocs(String file, String host) {
		if (!file.matches("[A-Za-z]+\\.json")) {
			return Response.json(404, Json.message("Resource not found"));
		}
		try (InputStream in = AriApi.class.getResourceAsStream("api-docs/" + file)) {
			if (in == null) {
				return Response.json(404, Json.message("Resource not found"));
			}
			ObjectNode docs = (ObjectNode) Json.parse(in.readAllBytes());
			// Asterisk points basePath at the server the client talks to.
			docs.put("basePath", "http://" + host + "/ari");
			return ok(docs);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read bundled api-docs/" + file, ex);
		}
	}

	private void channels() {
		route("GET", "channels", (request, vars) -> ok(pbx.channelList()));
		route("POST", "channels", (request, vars) -> ok(pbx.originate(originate(request, null))));
		route("GET", "channels/{id}", (request, vars) -> ok(pbx.channel(vars.get("id"))));
		route("POST", "channels/{id}", (request, vars) -> ok(pbx.originate(originate(request, vars.get("id")))));
		route("DELETE", "channels/{id}", (request, vars) -> {
			pbx.hangup(vars.get("id"), request.param("reason"), request.param("reason_code"));
			return done();
		});
		route("POST", "channels/{id}/answer", (request, vars) -> {
			pbx.answer(vars.get("id"));
			return done();
		});
		route("POST", "channels/{id}/ring", (request, vars) -> {
			pbx.ring(vars.get("id"));
			return done();
		});
		route("DELETE", "channels/{id}/ring", (request, vars) -> {
			pbx.ringStop(vars.get("id"));
			return done();
		});
		route("POST", "channels/{id}/hold", (request, vars) -> {
			pbx.hold(vars.get("id"), true);
			return done();
		});
		route("DELETE", "channels/{id}/hold", (request, vars) -> {
			pbx.hold(vars.get("id"), false);
			return done();
		});
		route("POST", "channels/{id}/unhold", (request, vars) -> {
			pbx.hold(vars.get("id"), false);
			return done();
		});
		route("POST", "channels/{id}/moh", (request, vars) -> {
			pbx.musicOnHold(vars.get("id"), request.param("mohClass") == null ? "" : request.param("mohClass"));
			return done();
		});
		route("DELETE", "channels/{id}/moh", (request, vars) -> {
			pbx.musicOnHold(vars.get("id"), null);
			return done();
		});
		for (String path : List.of("channels/{id}/mute", "channels/{id}/unmute", "channels/{id}/silence")) {
			route("POST", path, (request, vars) -> {
				pbx.mute(vars.get("id"));
				return done();
			});
		}
		for (String path : List.of("channels/{id}/mute", "channels/{id}/silence")) {
			route("DELETE", path, (request, vars) -> {
				pbx.mute(vars.get("id"));
				return done();
			});
		}
		route("POST", "channels/{id}/dtmf", (request, vars) -> {
			String dtmf = request.param("dtmf");
			if (dtmf == null || dtmf.isEmpty()) {
				throw AriError.of(400, "DTMF is required");
			}
			pbx.dtmfToFarEnd(vars.get("id"), dtmf);
			return done();
		});
		route("POST", "channels/{id}/play", (request, vars) -> play(request, false, vars.get("id"), null));
		route("POST", "channels/{id}/play/{playbackId}",
				(request, vars) -> play(request, false, vars.get("id"), vars.get("playbackId")));
		route("POST", "channels/{id}/record", (request, vars) -> record(request, false, vars.get("id")));
		route("GET", "channels/{id}/variable", (request, vars) -> {
			String name = request.param("variable");
			if (name == null || name.isEmpty()) {
				throw AriError.of(400, "Variable name is required");
			}
			return ok(Json.object().put("value", pbx.variable(vars.get("id"), name)));
		});
		route("POST", "channels/{id}/variable", (request, vars) -> {
			String name = request.param("variable");
			if (name == null || name.isEmpty()) {
				throw AriError.of(400, "Variable name is required");
			}
			pbx.variable(vars.get("id"), name, request.param("value", ""));
			return done();
		});
		route("POST", "channels/{id}/continue", (request, vars) -> {
			pbx.continueInDialplan(vars.get("id"));
			return done();
		});
		route("POST", "channels/{id}/redirect", (request, vars) -> {
			String endpoint = request.param("endpoint");
			if (endpoint == null || endpoint.isEmpty()) {
				throw AriError.of(400, "Required parameter endpoint not provided");
			}
			pbx.redirect(vars.get("id"), endpoint);
			return done();
		});
	}

	private static Pbx.Originate originate(Request request, @Nullable String channelId) {
		Map<String, String> variables = new LinkedHashMap<>();
		JsonNode body = request.body();
		JsonNode given = body == null ? null : body.get("variables");
		// A "variables" that is not an object is accepted and ignored, as the recording shows.
		if (given != null && given.isObject()) {
			given.properties().forEach(entry -> variables.put(entry.getKey(), entry.getValue().asString()));
		}
		return new Pbx.Originate(request.param("endpoint"), request.param("app"), request.param("appArgs", ""),
				request.param("callerId"), integer(request, "timeout", 30), channelId,
				request.param("otherChannelId"), request.param("originator"), variables, request.param("context"),
				request.param("extension"), integer(request, "priority", 1));
	}

	private Response play(Request request, boolean toBridge, String targetId, @Nullable String playbackId) {
		return created(pbx.play(toBridge, targetId, list(request.param("media")), request.param("lang"),
				playbackId != null ? playbackId : request.param("playbackId")));
	}

	private Response record(Request request, boolean ofBridge, String targetId) {
		return created(pbx.record(ofBridge, targetId, new Pbx.Record(request.param("name"), request.param("format"),
				integer(request, "maxDurationSeconds", 0), request.param("ifExists", "fail"))));
	}

	private void bridges() {
		route("GET", "bridges", (request, vars) -> ok(pbx.bridgeList()));
		route("POST", "bridges", (request, vars) -> ok(
				pbx.createBridge(request.param("bridgeId"), request.param("type"), request.param("name"))));
		route("GET", "bridges/{id}", (request, vars) -> ok(pbx.bridge(vars.get("id"))));
		route("POST", "bridges/{id}", (request, vars) -> ok(
				pbx.createBridge(vars.get("id"), request.param("type"), request.param("name"))));
		route("DELETE", "bridges/{id}", (request, vars) -> {
			pbx.destroyBridge(vars.get("id"));
			return done();
		});
		route("POST", "bridges/{id}/addChannel", (request, vars) -> {
			List<String> channels = list(request.param("channel"));
			if (channels.isEmpty()) {
				throw AriError.missing("channel");
			}
			pbx.addChannels(vars.get("id"), channels);
			return done();
		});
		route("POST", "bridges/{id}/removeChannel", (request, vars) -> {
			List<String> channels = list(request.param("channel"));
			if (channels.isEmpty()) {
				throw AriError.missing("channel");
			}
			pbx.removeChannels(vars.get("id"), channels);
			return done();
		});
		route("POST", "bridges/{id}/moh", (request, vars) -> {
			pbx.bridgeMusic(vars.get("id"), request.param("mohClass") == null ? "" : request.param("mohClass"));
			return done();
		});
		route("DELETE", "bridges/{id}/moh", (request, vars) -> {
			pbx.bridgeMusic(vars.get("id"), null);
			return done();
		});
		route("POST", "bridges/{id}/play", (request, vars) -> play(request, true, vars.get("id"), null));
		route("POST", "bridges/{id}/play/{playbackId}",
				(request, vars) -> play(request, true, vars.get("id"), vars.get("playbackId")));
		route("POST", "bridges/{id}/record", (request, vars) -> record(request, true, vars.get("id")));
	}

	private void recordings() {
		route("GET", "recordings/live/{name}", (request, vars) -> ok(pbx.liveRecording(vars.get("name"))));
		route("DELETE", "recordings/live/{name}", (request, vars) -> {
			pbx.stopRecording(vars.get("name"), false);
			return done();
		});
		route("POST", "recordings/live/{name}/stop", (request, vars) -> {
			pbx.stopRecording(vars.get("name"), true);
			return done();
		});
		route("POST", "recordings/live/{name}/pause", (request, vars) -> {
			pbx.pauseRecording(vars.get("name"), true);
			return done();
		});
		route("DELETE", "recordings/live/{name}/pause", (request, vars) -> {
			pbx.pauseRecording(vars.get("name"), false);
			return done();
		});
		route("GET", "recordings/stored", (request, vars) -> ok(pbx.storedRecordings()));
		route("GET", "recordings/stored/{name}",
				(request, vars) -> ok(pbx.storedRecording(vars.get("name")).snapshot()));
		route("DELETE", "recordings/stored/{name}", (request, vars) -> {
			pbx.deleteStoredRecording(vars.get("name"));
			return done();
		});
		route("GET", "recordings/stored/{name}/file", (request, vars) -> {
			PbxRecording.Stored stored = pbx.storedRecording(vars.get("name"));
			return new Response(200, Wav.tone(stored.durationMillis()), "audio/" + stored.format(), Map.of());
		});
	}

	private void playbacks() {
		route("GET", "playbacks/{id}", (request, vars) -> ok(pbx.playback(vars.get("id"))));
		route("DELETE", "playbacks/{id}", (request, vars) -> {
			pbx.stopPlayback(vars.get("id"));
			return done();
		});
		route("POST", "playbacks/{id}/control", (request, vars) -> {
			pbx.controlPlayback(vars.get("id"), required(request, "operation"));
			return done();
		});
	}

	private void others() {
		route("GET", "endpoints", (request, vars) -> ok(pbx.endpoints(null)));
		route("GET", "endpoints/{tech}", (request, vars) -> ok(pbx.endpoints(vars.get("tech"))));
		route("GET", "endpoints/{tech}/{resource}",
				(request, vars) -> ok(pbx.endpoint(vars.get("tech"), vars.get("resource"))));
		route("GET", "deviceStates", (request, vars) -> ok(Json.array()));
		route("GET", "mailboxes", (request, vars) -> ok(Json.array()));
		route("GET", "sounds", (request, vars) -> {
			ArrayNode sounds = Json.array();
			sounds.add(sound("hello-world"));
			sounds.add(sound("beep"));
			return ok(sounds);
		});
		route("GET", "sounds/{id}", (request, vars) -> {
			if (!Pbx.soundExists(vars.get("id"))) {
				throw AriError.of(404, "Sound not found");
			}
			return ok(sound(vars.get("id")));
		});
	}

	private static ObjectNode sound(String id) {
		ObjectNode sound = Json.object().put("id", id);
		ArrayNode formats = sound.putArray("formats");
		for (String language : List.of("en_US", "en")) {
			for (String format : List.of("gsm", "slin")) {
				formats.addObject().put("language", language).put("format", format);
			}
		}
		return sound;
	}
}

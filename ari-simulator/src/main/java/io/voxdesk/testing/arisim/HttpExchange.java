package io.voxdesk.testing.arisim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/** One HTTP request as the ARI and admin APIs see it, and the response they give, independent of Netty. */
final class HttpExchange {

	private HttpExchange() {
	}

	/**
	 * A parsed request.
	 *
	 * @param segments the decoded path segments, e.g. {@code [ari, channels, 1795300143.0]}
	 * @param query the first value of every query parameter
	 * @param body the JSON request body, or null when there is none or it is no JSON
	 */
	record Request(String method, List<String> segments, Map<String, String> query, @Nullable JsonNode body,
			String host) {

		/** A parameter from the query or, as Asterisk also accepts, from the top level of a JSON body. */
		@Nullable String param(String name) {
			String value = query.get(name);
			if (value != null) {
				return value;
			}
			if (body != null && body.isObject()) {
				JsonNode field = body.get(name);
				if (field != null && (field.isString() || field.isNumber() || field.isBoolean())) {
					return field.asString();
				}
			}
			return null;
		}

		String param(String name, String fallback) {
			String value = param(name);
			return value == null ? fallback : value;
		}

		static Request parse(String method, String uri, byte[] content, String host) {
			int question = uri.indexOf('?');
			String rawPath = question < 0 ? uri : uri.substring(0, question);
			List<String> segments = new ArrayList<>();
			for (String segment : rawPath.split("/")) {
				if (!segment.isEmpty()) {
					segments.add(percentDecode(segment, false));
				}
			}
			Map<String, String> query = new LinkedHashMap<>();
			if (question >= 0) {
				for (String pair : uri.substring(question + 1).split("&")) {
					if (pair.isEmpty()) {
						continue;
					}
					int equals = pair.indexOf('=');
					String name = percentDecode(equals < 0 ? pair : pair.substring(0, equals), true);
					String value = equals < 0 ? "" : percentDecode(pair.substring(equals + 1), true);
					query.putIfAbsent(name, value);
				}
			}
			JsonNode body = null;
			// Parsed whatever the content type says: curl -d sends JSON as a form, and ARI has no form bodies.
			if (content.length > 0) {
				try {
					body = Json.parse(content);
				}
				catch (RuntimeException ex) {
					// Asterisk answers 400 for a broken body only on some resources; ignoring it is close enough.
					body = null;
				}
			}
			return new Request(method, List.copyOf(segments), Map.copyOf(query), body, host);
		}

		/** Decodes %XX escapes; in a query a '+' is a space, in a path it is itself. */
		static String percentDecode(String text, boolean plusIsSpace) {
			if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
				return text;
			}
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
					bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
					i += 2;
				}
				else if (c == '+' && plusIsSpace) {
					bytes.write(' ');
				}
				else {
					byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
					bytes.write(encoded, 0, encoded.length);
				}
			}
			return bytes.toString(StandardCharsets.UTF_8);
		}

		private static boolean isHex(String text, int index) {
			return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
		}
	}

	/** A response: status, body bytes, content type and extra headers. */
	record Response(int status, byte[] body, @Nullable String contentType, Map<String, String> headers) {

		static Response json(int status, JsonNode body) {
			return new Response(status, Json.bytes(body), "application/json", Map.of());
		}

		static Response noContent() {
			return new Response(204, new byte[0], null, Map.of());
		}

		static Response error(AriError error) {
			return json(error.status(), error.body());
		}
	}
}

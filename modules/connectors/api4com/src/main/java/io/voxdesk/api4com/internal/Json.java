package io.voxdesk.api4com.internal;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lenient reading of API4COM's JSON: fields come as strings or numbers, {@code metadata} sometimes as an object and
 * sometimes as a JSON string, and absent, null and empty all mean "not given".
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	/** The document, or a missing node when it is not JSON. */
	static JsonNode parse(@Nullable String body) {
		if (body == null || body.isBlank()) {
			return MissingNode.getInstance();
		}
		try {
			return MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			return MissingNode.getInstance();
		}
	}

	static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	static String write(JsonNode node) {
		return MAPPER.writeValueAsString(node);
	}

	/** A scalar as text; {@code ""} for absent, null, empty or structured values. */
	static String text(JsonNode node) {
		if (node.isString()) {
			return node.stringValue().strip();
		}
		if (node.isNumber() || node.isBoolean()) {
			return node.asString();
		}
		return "";
	}

	static String text(JsonNode node, String field) {
		return text(node.path(field));
	}

	/** A whole number given as a number or as text; the fallback otherwise. */
	static long number(JsonNode node, long fallback) {
		if (node.isNumber()) {
			return node.asLong();
		}
		try {
			return Long.parseLong(text(node));
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	/** An object given as an object or as a JSON string holding one (how some integrators see {@code metadata}). */
	static JsonNode object(JsonNode node) {
		if (node.isObject()) {
			return node;
		}
		if (node.isString()) {
			var parsed = parse(node.stringValue());
			if (parsed.isObject()) {
				return parsed;
			}
		}
		return MissingNode.getInstance();
	}
}

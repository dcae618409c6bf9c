package io.voxdesk.testing.arisim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON and timestamps the way Asterisk writes them. */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	// Asterisk writes milliseconds and an offset without a colon (+0000), which ISO_OFFSET_DATE_TIME rejects.
	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
		.withZone(ZoneOffset.UTC);

	private Json() {
	}

	static String timestamp(Instant instant) {
		return TIMESTAMP.format(instant);
	}

	static String now() {
		return timestamp(Instant.now());
	}

	static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	static ArrayNode array() {
		return MAPPER.createArrayNode();
	}

	static ObjectNode message(String message) {
		return object().put("message", message);
	}

	static byte[] bytes(JsonNode node) {
		return MAPPER.writeValueAsBytes(node);
	}

	static String string(JsonNode node) {
		return MAPPER.writeValueAsString(node);
	}

	static JsonNode parse(byte[] json) {
		return MAPPER.readTree(json);
	}
}

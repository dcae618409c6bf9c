package io.voxdesk.campaigns.internal;

import java.util.HashMap;
import java.util.UUID;

import io.voxdesk.audio.AudioId;
import io.voxdesk.campaigns.Ivr;
import io.voxdesk.campaigns.IvrAction;
import io.voxdesk.campaigns.IvrOption;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A campaign's IVR as the {@code campaigns.ivr} column keeps it: JSON with plain ids and action names. */
final class IvrJson {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private IvrJson() {
	}

	static @Nullable String write(@Nullable Ivr ivr) {
		if (ivr == null) {
			return null;
		}
		ObjectNode root = JSON.createObjectNode();
		root.put("prompt", ivr.prompt() == null ? null : ivr.prompt().toString());
		root.put("timeoutSeconds", ivr.timeoutSeconds());
		root.put("maxInvalid", ivr.maxInvalid());
		root.put("invalidPrompt", ivr.invalidPrompt() == null ? null : ivr.invalidPrompt().toString());
		root.put("timeoutPrompt", ivr.timeoutPrompt() == null ? null : ivr.timeoutPrompt().toString());
		var options = root.putObject("options");
		ivr.options().forEach((key, option) -> options.putObject(key)
			.put("action", option.action().value())
			.put("audio", option.audio() == null ? null : option.audio().toString())
			.put("queue", option.queue() == null ? null : option.queue().toString())
			.put("user", option.user() == null ? null : option.user().value()));
		return JSON.writeValueAsString(root);
	}

	static @Nullable Ivr read(@Nullable String stored) {
		if (stored == null || stored.isBlank()) {
			return null;
		}
		JsonNode root = JSON.readTree(stored);
		var options = new HashMap<String, IvrOption>();
		for (var entry : root.path("options").properties()) {
			var option = entry.getValue();
			var queue = option.path("queue");
			var user = option.path("user");
			options.put(entry.getKey(), new IvrOption(IvrAction.of(option.path("action").asString()),
					audio(option.path("audio")),
					queue.isNull() || queue.isMissingNode() ? null : QueueId.of(UUID.fromString(queue.asString())),
					user.isNull() || user.isMissingNode() ? null : UserId.of(user.asString())));
		}
		return new Ivr(audio(root.path("prompt")), root.path("timeoutSeconds").asInt(), root.path("maxInvalid").asInt(),
				audio(root.path("invalidPrompt")), audio(root.path("timeoutPrompt")), options);
	}

	private static @Nullable AudioId audio(JsonNode node) {
		return node.isNull() || node.isMissingNode() ? null : AudioId.of(UUID.fromString(node.asString()));
	}
}

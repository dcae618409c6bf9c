package io.voxdesk.testing.arisim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A Stasis bridge created over ARI; mutated only while holding the {@link Pbx} lock. */
final class PbxBridge {

	final String id;

	final String name;

	final boolean holding;

	final String creationtime = Json.timestamp(Instant.now());

	final List<PbxChannel> channels = new ArrayList<>();

	PbxBridge(String id, String name, boolean holding) {
		this.id = id;
		this.name = name;
		this.holding = holding;
	}

	ObjectNode snapshot() {
		ObjectNode bridge = Json.object();
		// Asterisk switches a mixing bridge from the two-party simple_bridge to softmix for a third party.
		String technology = holding ? "holding_bridge" : channels.size() > 2 ? "softmix" : "simple_bridge";
		bridge.put("id", id)
			.put("technology", technology)
			.put("bridge_type", holding ? "holding" : "mixing")
			.put("bridge_class", "stasis")
			.put("creator", "Stasis")
			.put("name", name);
		ArrayNode ids = bridge.putArray("channels");
		channels.forEach(channel -> ids.add(channel.id));
		bridge.put("creationtime", creationtime).put("video_mode", "talker");
		return bridge;
	}
}

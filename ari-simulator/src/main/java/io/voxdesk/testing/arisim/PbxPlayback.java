package io.voxdesk.testing.arisim;

import java.util.List;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.ObjectNode;

/** A playback of one or more media URIs on a channel or bridge; mutated only under the {@link Pbx} lock. */
final class PbxPlayback {

	final String id;

	final List<String> media;

	final String targetUri;

	/** The channel or bridge id the playback plays to. */
	final String targetId;

	final String language;

	int index;

	String state = "queued";

	@Nullable Future<?> timer;

	PbxPlayback(String id, List<String> media, String targetUri, String targetId, String language) {
		this.id = id;
		this.media = media;
		this.targetUri = targetUri;
		this.targetId = targetId;
		this.language = language;
	}

	ObjectNode snapshot() {
		ObjectNode playback = Json.object().put("id", id).put("media_uri", media.get(index));
		if (index + 1 < media.size()) {
			playback.put("next_media_uri", media.get(index + 1));
		}
		return playback.put("target_uri", targetUri).put("language", language).put("state", state);
	}
}

package io.voxdesk.testing.arisim;

import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.ObjectNode;

/** A live recording of a channel or bridge; mutated only while holding the {@link Pbx} lock. */
final class PbxRecording {

	final String name;

	final String format;

	final String targetUri;

	final String targetId;

	final boolean overwrite;

	String state = "queued";

	/** When recording began, in nanoseconds of {@link System#nanoTime()}. */
	long startedNanos;

	@Nullable Future<?> timer;

	PbxRecording(String name, String format, String targetUri, String targetId, boolean overwrite) {
		this.name = name;
		this.format = format;
		this.targetUri = targetUri;
		this.targetId = targetId;
		this.overwrite = overwrite;
	}

	ObjectNode snapshot() {
		return Json.object()
			.put("name", name)
			.put("format", format)
			.put("state", state)
			.put("target_uri", targetUri);
	}

	/** A recording that has finished and can be listed, downloaded and deleted. */
	record Stored(String name, String format, long durationMillis) {

		ObjectNode snapshot() {
			return Json.object().put("name", name).put("format", format);
		}
	}
}

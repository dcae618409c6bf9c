package io.voxdesk.calls.spi;

import java.util.List;

/**
 * What a campaign's call does after a key or a silence: nothing, play its media again and listen, play
 * {@code media} (an invalid-key or timeout prompt, then the menu) and listen, or end (after playing {@code media},
 * such as an opt-out's confirmation, when there is any).
 */
public record BroadcastReply(Kind kind, List<String> media) {

	/** The kinds of reply. */
	public enum Kind {
		IGNORE, REPLAY, PROMPT, HANG_UP
	}

	public BroadcastReply {
		media = List.copyOf(media);
	}

	public static BroadcastReply ignore() {
		return new BroadcastReply(Kind.IGNORE, List.of());
	}

	public static BroadcastReply replay() {
		return new BroadcastReply(Kind.REPLAY, List.of());
	}

	/** Play {@code media} instead of the call's own, then listen for a key again. */
	public static BroadcastReply prompt(List<String> media) {
		if (media.isEmpty()) {
			throw new IllegalArgumentException("a prompt needs something to play");
		}
		return new BroadcastReply(Kind.PROMPT, media);
	}

	/** Hang up after playing {@code media} (at once when empty). */
	public static BroadcastReply hangUp(List<String> media) {
		return new BroadcastReply(Kind.HANG_UP, media);
	}
}

package io.voxdesk.calls.spi;

import java.util.List;

import io.voxdesk.calls.CallId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;

/**
 * What a campaign's call does after a key or a silence: nothing, play its media again and listen, play
 * {@code media} (an invalid-key or timeout prompt, then the menu) and listen, end (after playing {@code media},
 * such as an opt-out's confirmation, when there is any), or hand the person over to an agent ({@code handover}).
 */
public record BroadcastReply(Kind kind, List<String> media, @Nullable Handover handover) {

	/**
	 * Where a key hands the person: the campaign's call record ({@code call}) and a queue or a user to wait for.
	 */
	public record Handover(CallId call, @Nullable QueueId queue, @Nullable UserId user) {
	}

	/** The kinds of reply. */
	public enum Kind {
		IGNORE, REPLAY, PROMPT, HANG_UP, HAND_OVER
	}

	public BroadcastReply {
		media = List.copyOf(media);
	}

	public static BroadcastReply ignore() {
		return new BroadcastReply(Kind.IGNORE, List.of(), null);
	}

	public static BroadcastReply replay() {
		return new BroadcastReply(Kind.REPLAY, List.of(), null);
	}

	/** Play {@code media} instead of the call's own, then listen for a key again. */
	public static BroadcastReply prompt(List<String> media) {
		if (media.isEmpty()) {
			throw new IllegalArgumentException("a prompt needs something to play");
		}
		return new BroadcastReply(Kind.PROMPT, media, null);
	}

	/** Hang up after playing {@code media} (at once when empty). */
	public static BroadcastReply hangUp(List<String> media) {
		return new BroadcastReply(Kind.HANG_UP, media, null);
	}

	/** Stop the media and hand the person to the queue or the user of {@code handover}. */
	public static BroadcastReply handOver(Handover handover) {
		return new BroadcastReply(Kind.HAND_OVER, List.of(), handover);
	}
}

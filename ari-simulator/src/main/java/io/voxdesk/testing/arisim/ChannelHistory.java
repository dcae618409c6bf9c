package io.voxdesk.testing.arisim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the simulated PBX did to channels and when, by the wall clock, so that a benchmark in another process can
 * measure the application from the PBX's side: when a channel entered Stasis, when an originate came in.
 * Bounded: past {@link #CAPACITY} moments the oldest are forgotten.
 */
final class ChannelHistory {

	static final int CAPACITY = 100_000;

	/**
	 * One moment of a channel.
	 *
	 * @param at for a Stasis start, when the event was handed to the application's sockets; for an originate, when
	 * the request came in
	 * @param kind {@code stasis-start} or {@code originate}
	 * @param args the Stasis arguments, or the originate's application arguments
	 * @param variables the originate's channel variables (none for a Stasis start)
	 */
	record Moment(Instant at, String kind, String channel, String endpoint, List<String> args,
			Map<String, String> variables) {
	}

	private final ArrayList<Moment> moments = new ArrayList<>();

	synchronized void add(Instant at, String kind, String channel, String endpoint, List<String> args,
			@Nullable Map<String, String> variables) {
		if (moments.size() >= CAPACITY) {
			moments.subList(0, CAPACITY / 10).clear();
		}
		moments.add(new Moment(at, kind, channel, endpoint, List.copyOf(args),
				variables == null ? Map.of() : Map.copyOf(variables)));
	}

	/** Oldest first: an originate is written once it is carried out, after what it caused, but carries its arrival. */
	synchronized List<Moment> moments() {
		var sorted = new ArrayList<>(moments);
		sorted.sort(Comparator.comparing(Moment::at));
		return sorted;
	}

	synchronized void clear() {
		moments.clear();
	}
}

package io.voxdesk.calls;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a queue picks which eligible agents ring for a waiting caller. */
public enum RoutingStrategy {

	/** Every eligible agent at once; the first to answer takes the caller. */
	RING_ALL,

	/** One agent at a time, each time the next member after the one offered last. */
	ROUND_ROBIN,

	/** One agent at a time, the one whose last call ended longest ago first. */
	LONGEST_IDLE,

	/** One agent at a time, the one who answered fewest calls today first. */
	FEWEST_CALLS,

	/** One agent at a time, picked at random. */
	RANDOM;

	/** As the API writes it: {@code ring-all}, {@code round-robin}, … */
	@JsonValue
	public String code() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * The strategy written as {@link #code()}.
	 *
	 * @throws IllegalArgumentException for anything else.
	 */
	@JsonCreator
	public static RoutingStrategy of(String code) {
		return Arrays.stream(values())
			.filter(strategy -> strategy.code().equals(code))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("strategy must be one of ring-all, round-robin, "
					+ "longest-idle, fewest-calls or random, was '" + code + "'"));
	}
}

package io.voxdesk.asterisk.internal;

import java.util.Optional;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;

/**
 * Names Voxdesk gives the channels and bridges of a call. Choosing the ids at originate time means an event that
 * arrives before the originate response (Asterisk does that) still names a known call, and the call can be found
 * again from the PBX's channel list after a reconnect, without any state kept in memory. A transfer's target is
 * named with its attempt, so late news of an earlier attempt cannot be taken for the current one.
 */
record Legs(CallId call) {

	private static final String AGENT = "vx-a-";

	private static final String CUSTOMER = "vx-c-";

	private static final String TARGET = "vx-t";

	private static final String OFFER = "vx-o";

	private static final String RELEASE = "vx-p-";

	private static final String GREETING = "vx-g-";

	String agentChannel() {
		return AGENT + call;
	}

	String customerChannel() {
		return CUSTOMER + call;
	}

	/** The target of transfer {@code attempt} (from 1). */
	String targetChannel(int attempt) {
		return TARGET + attempt + "-" + call;
	}

	/** The agent leg of offer {@code offer} (from 1) of an inbound call: one agent rung for the waiting caller. */
	String offerChannel(int offer) {
		return OFFER + offer + "-" + call;
	}

	/** The goodbye a caller let go unanswered hears before the call ends. */
	String releasePlayback() {
		return RELEASE + call;
	}

	/** The greeting of the queue a waiting caller hears before the music. */
	String greetingPlayback() {
		return GREETING + call;
	}

	/** The call whose goodbye a playback is; empty for other playbacks. */
	static Optional<CallId> releasedBy(String playbackId) {
		return callOf(RELEASE, playbackId);
	}

	/** The call whose greeting a playback is; empty for other playbacks. */
	static Optional<CallId> greeted(String playbackId) {
		return callOf(GREETING, playbackId);
	}

	private static Optional<CallId> callOf(String prefix, String playbackId) {
		try {
			return playbackId.startsWith(prefix) ? Optional.of(CallId.parse(playbackId.substring(prefix.length())))
					: Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/** The customer's bridge (an inbound caller's too): the conversation, and what is recorded. */
	String bridge() {
		return "vx-b-" + call;
	}

	/** Where the agent talks to an attended transfer's target while the customer waits. */
	String consultBridge() {
		return "vx-k-" + call;
	}

	String recording() {
		return "voxdesk-" + call;
	}

	/** The call and leg a Voxdesk channel id belongs to; empty for channels Voxdesk did not create. */
	static Optional<Leg> of(String channelId) {
		try {
			if (channelId.startsWith(AGENT)) {
				return Optional.of(new Leg(new Legs(CallId.parse(channelId.substring(AGENT.length()))), CallLeg.AGENT, 0));
			}
			if (channelId.startsWith(CUSTOMER)) {
				return Optional.of(new Leg(new Legs(CallId.parse(channelId.substring(CUSTOMER.length()))),
						CallLeg.CUSTOMER, 0));
			}
			for (var prefix : new String[] { TARGET, OFFER }) {
				var dash = channelId.indexOf('-', prefix.length());
				if (channelId.startsWith(prefix) && dash > prefix.length()) {
					var number = Integer.parseInt(channelId.substring(prefix.length(), dash));
					if (number > 0) {
						return Optional.of(new Leg(new Legs(CallId.parse(channelId.substring(dash + 1))),
								prefix.equals(TARGET) ? CallLeg.TARGET : CallLeg.AGENT, number));
					}
				}
			}
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return Optional.empty();
	}

	/**
	 * One channel of a call.
	 *
	 * @param attempt the transfer attempt, for a target; the offer's number, for an agent rung for an inbound call;
	 *     0 for the agent and the customer of a click-to-call.
	 */
	record Leg(Legs legs, CallLeg leg, int attempt) {

		/** Whether this is an agent rung for a waiting inbound caller. */
		boolean offer() {
			return leg == CallLeg.AGENT && attempt > 0;
		}
	}
}

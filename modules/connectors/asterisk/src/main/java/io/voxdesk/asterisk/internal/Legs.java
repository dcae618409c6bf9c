package io.voxdesk.asterisk.internal;

import java.util.Optional;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;

/**
 * Names Voxdesk gives the channels and bridge of a call. Choosing the ids at originate time means an event that
 * arrives before the originate response (Asterisk does that) still names a known call, and the call can be found
 * again from the PBX's channel list after a reconnect, without any state kept in memory.
 */
record Legs(CallId call) {

	private static final String AGENT = "vx-a-";

	private static final String CUSTOMER = "vx-c-";

	String agentChannel() {
		return AGENT + call;
	}

	String customerChannel() {
		return CUSTOMER + call;
	}

	String bridge() {
		return "vx-b-" + call;
	}

	String recording() {
		return "voxdesk-" + call;
	}

	String channel(CallLeg leg) {
		return leg == CallLeg.AGENT ? agentChannel() : customerChannel();
	}

	/** The call and leg a Voxdesk channel id belongs to; empty for channels Voxdesk did not create. */
	static Optional<Leg> of(String channelId) {
		try {
			if (channelId.startsWith(AGENT)) {
				return Optional.of(new Leg(new Legs(CallId.parse(channelId.substring(AGENT.length()))), CallLeg.AGENT));
			}
			if (channelId.startsWith(CUSTOMER)) {
				return Optional.of(new Leg(new Legs(CallId.parse(channelId.substring(CUSTOMER.length()))),
						CallLeg.CUSTOMER));
			}
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return Optional.empty();
	}

	/** One channel of a call. */
	record Leg(Legs legs, CallLeg leg) {

		String other() {
			return legs.channel(leg == CallLeg.AGENT ? CallLeg.CUSTOMER : CallLeg.AGENT);
		}
	}
}

package io.voxdesk.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a campaign does when an answering machine or voicemail picks up. */
public enum MachineHandling {

	/** Hang up: the attempt counts as "machine" and may be retried by its rule. */
	HANG_UP("hang-up"),

	/** Wait for the greeting to end and leave the message. */
	LEAVE_MESSAGE("leave-message");

	private final String value;

	MachineHandling(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return value;
	}

	/** The handling a stored name denotes. */
	public static MachineHandling of(String value) {
		for (var handling : values()) {
			if (handling.value.equals(value)) {
				return handling;
			}
		}
		throw new IllegalArgumentException("'" + value + "' is not a machine handling; use hang-up or leave-message.");
	}
}

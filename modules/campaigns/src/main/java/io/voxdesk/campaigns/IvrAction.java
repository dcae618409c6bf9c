package io.voxdesk.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a key of a campaign's IVR does. */
public enum IvrAction {

	/** Play the message (and the menu) again. */
	REPEAT("repeat"),

	/** Put the number on the tenant's do-not-call list, play a confirmation, hang up. */
	OPT_OUT("opt-out"),

	/** Hang up. */
	HANG_UP("hang-up");

	private final String value;

	IvrAction(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return value;
	}

	/** The action an API name denotes. */
	public static IvrAction of(String value) {
		for (var action : values()) {
			if (action.value.equals(value)) {
				return action;
			}
		}
		throw new IllegalArgumentException("'" + value + "' is not an IVR action; use repeat, opt-out or hang-up.");
	}
}

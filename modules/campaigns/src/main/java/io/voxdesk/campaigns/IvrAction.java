package io.voxdesk.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a key of a campaign's IVR does. */
public enum IvrAction {

	/** Play the message (and the menu) again. */
	REPEAT("repeat"),

	/** Put the number on the tenant's do-not-call list, play a confirmation, hang up. */
	OPT_OUT("opt-out"),

	/** Hang up. */
	HANG_UP("hang-up"),

	/** Hand the person to a queue: they wait for its agents like a caller, on the contact's ticket. */
	TRANSFER_TO_QUEUE("transfer-to-queue"),

	/** Hand the person to one user of the tenant: they wait for that user's phone. */
	TRANSFER_TO_USER("transfer-to-user");

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
		throw new IllegalArgumentException("'" + value + "' is not an IVR action; use repeat, opt-out, hang-up, "
				+ "transfer-to-queue or transfer-to-user.");
	}
}

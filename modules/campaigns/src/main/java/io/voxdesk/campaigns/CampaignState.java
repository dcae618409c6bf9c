package io.voxdesk.campaigns;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a campaign is: {@code draft → scheduled → running ⇄ paused → completed | cancelled}. */
public enum CampaignState {

	DRAFT, SCHEDULED, RUNNING, PAUSED, COMPLETED, CANCELLED;

	/** The name the API and the database use, such as {@code running}. */
	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Whether nothing more happens to a campaign in this state. */
	public boolean isFinal() {
		return this == COMPLETED || this == CANCELLED;
	}

	/** The state a stored name denotes. */
	public static CampaignState of(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}
}

package io.voxdesk.campaigns;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a voice campaign. */
public record CampaignId(@JsonValue UUID value) {

	public CampaignId {
		Objects.requireNonNull(value);
	}

	public static CampaignId of(UUID value) {
		return new CampaignId(value);
	}

	@Override
	public String toString() {
		return value.toString();
	}
}

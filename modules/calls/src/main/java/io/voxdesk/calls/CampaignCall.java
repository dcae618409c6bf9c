package io.voxdesk.calls;

import java.time.Instant;

import io.voxdesk.contacts.ContactId;

/**
 * A voice campaign's call that reached a person, as its record starts: answered, on the contact, named after the
 * campaign.
 *
 * @param number the called number, in E.164.
 */
public record CampaignCall(ProviderConnectionId connection, String number, ContactId contact, String campaign,
		Instant answeredAt) {
}

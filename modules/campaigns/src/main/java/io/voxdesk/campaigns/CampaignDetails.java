package io.voxdesk.campaigns;

import java.time.Instant;

import io.voxdesk.audio.AudioId;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.contacts.ContactSelection;

import org.jspecify.annotations.Nullable;

/**
 * A campaign as the API shows it.
 *
 * @param scheduledAt when a scheduled campaign starts.
 * @param totalContacts how many contacts it calls: fixed when it starts, 0 before.
 * @param dialerNote the dialer's latest word on trouble, such as the PBX refusing calls; {@literal null} when none.
 */
public record CampaignDetails(CampaignId id, String name, ProviderConnectionId connection, AudioId message,
		String callerId, ContactSelection contacts, int concurrency, CallingWindow window, Retries retries,
		MachineHandling machines, @Nullable Ivr ivr, CampaignState state, @Nullable Instant scheduledAt, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, int totalContacts, @Nullable String dialerNote, String createdBy, Instant createdAt,
		Instant updatedAt) {
}

package io.voxdesk.campaigns;

import io.voxdesk.audio.AudioId;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.contacts.ContactSelection;

import org.jspecify.annotations.Nullable;

/**
 * A campaign as a tenant admin writes it.
 *
 * @param connection the Asterisk connection that places the calls.
 * @param message the audio played to each person reached.
 * @param callerId the number the called people see.
 * @param concurrency how many calls run at once, 1 to 1000, and never more than the connection's channel limit.
 * @param ivr the menu after the message; {@literal null} for none (the call ends with the message).
 */
public record CampaignDraft(String name, ProviderConnectionId connection, AudioId message, String callerId,
		ContactSelection contacts, int concurrency, CallingWindow window, Retries retries, MachineHandling machines,
		@Nullable Ivr ivr) {
}

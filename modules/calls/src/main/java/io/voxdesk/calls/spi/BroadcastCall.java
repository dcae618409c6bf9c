package io.voxdesk.calls.spi;

import java.util.List;
import java.util.UUID;

import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.tenants.TenantId;

/**
 * One attempt of a voice campaign: call {@code number} and, once a person (or a machine) answers, play
 * {@code message} and hang up.
 *
 * @param attempt the attempt's id, which the provider's channel carries, so a restart finds the attempt's call.
 * @param number the number to call, in E.164.
 * @param callerId the number the called person sees.
 * @param media what to play, in order: {@code audio:<id>} for an item of the tenant's audio library, or a sound of
 *     the PBX by name (the message, then an IVR menu's prompt). The first item is the message, all an answering
 *     machine is left.
 * @param ringSeconds how long the number rings before the attempt counts as not answered.
 * @param listenSeconds how long to wait for a key after the media ended before asking what to do
 *     ({@link BroadcastReports#silent}); 0 hangs up at once.
 * @param leaveOnMachine on an answering machine, wait for its greeting to end and leave the message
 *     ({@link BroadcastOutcome#VOICEMAIL}); otherwise hang up on it ({@link BroadcastOutcome#MACHINE}).
 */
public record BroadcastCall(UUID attempt, TenantId tenant, ProviderConnectionId connection, String number,
		String callerId, List<String> media, int ringSeconds, int listenSeconds, boolean leaveOnMachine) {

	public BroadcastCall {
		media = List.copyOf(media);
		if (media.isEmpty()) {
			throw new IllegalArgumentException("a campaign call needs a message to play");
		}
	}
}

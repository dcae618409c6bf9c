package io.voxdesk.calls.spi;

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
 * @param message what to play: {@code audio:<id>} for an item of the tenant's audio library.
 * @param ringSeconds how long the number rings before the attempt counts as not answered.
 */
public record BroadcastCall(UUID attempt, TenantId tenant, ProviderConnectionId connection, String number,
		String callerId, String message, int ringSeconds) {
}

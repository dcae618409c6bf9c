package io.voxdesk.calls.spi;

import io.voxdesk.calls.CallId;

import org.jspecify.annotations.Nullable;

/**
 * What a connector needs to move a customer into a queue.
 *
 * @param call the answered call the agent transfers.
 * @param queued the inbound call the customer waits as from now on; its id names the provider's waiting room.
 * @param musicClass what the customer hears while waiting, after the {@code greeting} if there is one.
 */
public record QueueTransfer(CallId call, CallId queued, String musicClass, @Nullable String greeting) {
}

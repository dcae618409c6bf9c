package io.voxdesk.calls.spi;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.TransferMode;

/**
 * What a connector needs to start a transfer.
 *
 * @param attempt which transfer of the call this is, from 1: the connector names the target's leg with it, and
 *     reports the target's events with it ({@link ProviderCallEvent#transfer()}), so that late news of an earlier
 *     attempt cannot be taken for this one.
 * @param destination an extension (up to 6 digits) or a number (E.164 with {@code +}, or digits).
 * @param customerNumber the customer's number in E.164, which the target sees as the caller.
 */
public record TransferRequest(CallId call, int attempt, TransferMode mode, String destination, String customerNumber) {
}

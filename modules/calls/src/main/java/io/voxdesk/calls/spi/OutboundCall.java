package io.voxdesk.calls.spi;

import io.voxdesk.calls.CallId;

/**
 * A click-to-call for a connector to place: ring the agent's extension first, then the customer.
 *
 * @param agentExtension the agent's personal extension, e.g. {@code 1001}.
 * @param number the customer's number in E.164, e.g. {@code +554833328530}.
 * @param record whether the tenant wants the call recorded (connectors whose provider records on its own ignore it).
 */
public record OutboundCall(CallId call, String agentExtension, String number, String agentName, boolean record) {
}

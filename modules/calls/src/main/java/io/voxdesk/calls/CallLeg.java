package io.voxdesk.calls;

/**
 * The halves of a click-to-call: the agent's extension rings first, then the customer; a transfer adds the target
 * the customer is handed to.
 */
public enum CallLeg {
	AGENT, CUSTOMER, TARGET
}

package io.voxdesk.calls;

/** The two halves of a click-to-call: the agent's extension rings first, then the customer. */
public enum CallLeg {
	AGENT, CUSTOMER
}

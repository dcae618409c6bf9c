package io.voxdesk.calls;

/** How the agent hands the customer over. */
public enum TransferMode {

	/** The target is rung while the agent stays with the customer; once it answers the agent is released. */
	BLIND,

	/**
	 * The agent talks to the target first while the customer hears music on hold, then completes the transfer
	 * (the agent is released) or cancels it (the agent is back with the customer).
	 */
	ATTENDED
}

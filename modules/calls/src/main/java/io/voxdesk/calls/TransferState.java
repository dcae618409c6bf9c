package io.voxdesk.calls;

/** Where a transfer stands, derived from what the provider reported about the target. */
public enum TransferState {

	/** The target is being rung. */
	RINGING,

	/** The target answered: an attended transfer's consultation is going on. */
	ANSWERED,

	/** The customer is with the target and the agent was released. */
	COMPLETED,

	/** The agent cancelled it, the target hung up before it was completed, or the call ended first. */
	CANCELLED,

	/** The target was busy; the customer stayed with the agent. */
	BUSY,

	/** The target did not answer in time; the customer stayed with the agent. */
	NO_ANSWER,

	/** The target could not be reached, or the provider refused to ring it; the customer stayed with the agent. */
	FAILED;

	/** Whether the transfer is still going on. */
	public boolean inProgress() {
		return this == RINGING || this == ANSWERED;
	}
}

package io.voxdesk.calls.spi;

/**
 * Something a connector's provider can do beyond the basics every connector has (testing a connection, placing a
 * click-to-call, hanging up). Voxdesk offers a control only on connections whose connector declares it.
 */
public enum Capability {

	/** Ringing the agent's extension, then the customer: every connector has it today. */
	CLICK_TO_CALL,

	/** Putting the customer on hold and back. */
	HOLD,

	/** Sending DTMF digits to the customer. */
	DTMF,

	/** Handing the customer to another extension or number when it answers. */
	BLIND_TRANSFER,

	/** Letting the agent talk to the target before handing the customer over. */
	ATTENDED_TRANSFER,

	/** Starting and stopping a recording during the call. */
	RECORDING_ON_DEMAND,

	/** Reporting calls that customers place to the tenant. */
	INBOUND,

	/** Moving an answered customer into a queue, where they wait for the next agent like an inbound caller. */
	QUEUE_TRANSFER,

	/** Playing a recorded message to a called customer (voice campaigns). */
	BROADCAST_PLAYBACK,

	/** Collecting the digits a customer presses (IVR menus). */
	DTMF_COLLECTION
}

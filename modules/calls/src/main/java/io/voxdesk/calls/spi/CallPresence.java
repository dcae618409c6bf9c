package io.voxdesk.calls.spi;

/** Whether a provider still has a call, as a connector can tell when asked. */
public enum CallPresence {

	/** The provider has at least one leg of the call up. */
	LIVE,

	/** The provider has no leg of the call any more. */
	GONE,

	/** The provider cannot be asked now (disconnected), or cannot answer that question. */
	UNKNOWN
}

package io.voxdesk.calls.spi;

import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;

/**
 * Thrown by a connector asked to act on a connection that another instance serves (the holder of its
 * {@link ConnectionLeases lease}): Voxdesk then hands the request to that instance and answers with what it did. The
 * message is what the client sees when no instance took the request in time.
 */
public class ConnectionServedElsewhere extends ProviderException {

	private final ProviderConnectionId connection;

	public ConnectionServedElsewhere(ProviderConnectionId connection, String message) {
		super(message);
		this.connection = connection;
	}

	public ProviderConnectionId connection() {
		return connection;
	}
}

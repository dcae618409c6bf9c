package io.voxdesk.calls.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The port through which instances share the connections whose connector keeps a session open (Asterisk's event
 * socket): one instance holds a connection's lease at a time, renews it, and acts on the connection only while it
 * does; work done under it carries its {@link Lease#fence() fence}, so a holder that lost it cannot write.
 */
public interface ConnectionLeases {

	/**
	 * Takes the connection's lease for {@code holder} if nobody holds it, its lease expired or was released, or
	 * {@code holder} holds it already; every acquisition raises the token. A takeover from another holder is logged
	 * and published as {@link io.voxdesk.calls.ConnectionTakenOver}.
	 *
	 * @return the lease, or empty while another holder's lease runs.
	 */
	Optional<Lease> acquire(ProviderConnection connection, String holder, Duration duration);

	/** Extends a lease still held under its token; false once another holder took it (stop acting at once). */
	boolean renew(Lease lease, Duration duration);

	/** Ends a held lease now, so that another instance takes the connection without waiting for it to expire. */
	void release(Lease lease);

	/** Every connection's lease, for health and operators. */
	List<LeaseState> all();
}

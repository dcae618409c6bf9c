package io.voxdesk.calls;

import java.time.Duration;
import java.time.Instant;

/**
 * Short-lived signed links to a call's stored recording, for a host that has no token of its own at hand (a webhook's
 * receiver, say): a link names one tenant and one call, works without a token until it expires, and each download
 * through it is audited. The provider's own recording URL is never handed out.
 */
public interface RecordingLinks {

	/** The longest a link may live. */
	Duration LONGEST = Duration.ofHours(24);

	/**
	 * A link to the current tenant's call's recording, valid for {@code lifetime} (at most {@link #LONGEST}).
	 *
	 * @return the path and query, to be put after the base URL at which the host reaches Voxdesk.
	 */
	SignedLink link(CallId call, Duration lifetime);

	/** A signed path ({@code /media/recordings/<tenant>/<call>?exp=…&sig=…}) and when it stops working. */
	record SignedLink(String path, Instant expiresAt) {
	}
}

package io.voxdesk.calls.spi;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;

/**
 * The port through which a {@link BroadcastDialer} tells what happened to a campaign's attempt; implemented by the
 * campaigns module. Reports may repeat (a reconnect, a reconciliation): each attempt ends once.
 */
public interface BroadcastReports {

	/** The called number answered. */
	void answered(TenantId tenant, UUID attempt, Instant at);

	/**
	 * The attempt's call ended.
	 *
	 * @param cause the provider's cause, such as {@code 17 User busy}.
	 */
	void ended(TenantId tenant, UUID attempt, BroadcastOutcome outcome, @Nullable String cause, Instant at);

	/** The answered call was judged a person's, a machine's or unknown, before the message started. */
	void classified(TenantId tenant, UUID attempt, AnsweredBy answeredBy);

	/** The called person pressed a key while the media played or while listening; says what the call does next. */
	BroadcastReply key(TenantId tenant, UUID attempt, String digit);

	/** Nobody pressed a key while the call listened after its media; says what the call does next. */
	BroadcastReply silent(TenantId tenant, UUID attempt);

	/** The call of an attempt that has not ended, for a connector that meets it after a restart; empty otherwise. */
	Optional<BroadcastRecall> recall(TenantId tenant, UUID attempt);
}

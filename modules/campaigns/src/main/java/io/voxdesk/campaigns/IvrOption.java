package io.voxdesk.campaigns;

import io.voxdesk.audio.AudioId;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import org.jspecify.annotations.Nullable;

/**
 * What one key does.
 *
 * @param audio played before hanging up, for {@code opt-out} (a confirmation); the PBX's {@code vm-goodbye} when
 *     omitted.
 * @param queue where {@code transfer-to-queue} hands the person.
 * @param user whom {@code transfer-to-user} hands the person to.
 */
public record IvrOption(IvrAction action, @Nullable AudioId audio, @Nullable QueueId queue, @Nullable UserId user) {

	/** An option that needs no queue or user. */
	public IvrOption(IvrAction action, @Nullable AudioId audio) {
		this(action, audio, null, null);
	}
}

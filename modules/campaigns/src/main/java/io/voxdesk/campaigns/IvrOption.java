package io.voxdesk.campaigns;

import io.voxdesk.audio.AudioId;

import org.jspecify.annotations.Nullable;

/**
 * What one key does.
 *
 * @param audio played before hanging up, for {@code opt-out} (a confirmation); the PBX's {@code vm-goodbye} when
 *     omitted.
 */
public record IvrOption(IvrAction action, @Nullable AudioId audio) {
}

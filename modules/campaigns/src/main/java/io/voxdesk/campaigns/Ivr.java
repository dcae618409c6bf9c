package io.voxdesk.campaigns;

import java.util.Map;

import io.voxdesk.audio.AudioId;

import org.jspecify.annotations.Nullable;

/**
 * A campaign's menu: after the message its prompt plays, and the person has {@code timeoutSeconds} to press a key
 * of {@code options} (keys pressed during the message count too). A key not in the menu plays it again, up to
 * {@code maxInvalid} times; every key pressed is kept on the attempt.
 *
 * @param options by key: {@code 0}-{@code 9}, {@code *}, {@code #}.
 */
public record Ivr(@Nullable AudioId prompt, int timeoutSeconds, int maxInvalid, Map<String, IvrOption> options) {

	public Ivr {
		options = Map.copyOf(options);
	}
}

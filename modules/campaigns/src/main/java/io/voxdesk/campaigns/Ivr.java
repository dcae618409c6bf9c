package io.voxdesk.campaigns;

import java.util.Map;

import io.voxdesk.audio.AudioId;

import org.jspecify.annotations.Nullable;

/**
 * A campaign's menu: after the message its prompt plays, and the person has {@code timeoutSeconds} to press a key
 * of {@code options} (keys pressed during the message count too). A key not in the menu plays
 * {@code invalidPrompt} then the menu again, a silence {@code timeoutPrompt} then the menu again; after
 * {@code maxInvalid} such tries the call says goodbye. Every key pressed is kept on the attempt.
 *
 * @param prompt the menu; the message itself is played again as the menu when there is none.
 * @param invalidPrompt played after a key not in the menu; the PBX's {@code option-is-invalid} when omitted.
 * @param timeoutPrompt played after a silence, before the menu again; nothing but the menu when omitted.
 * @param options by key: {@code 0}-{@code 9}, {@code *}, {@code #}.
 */
public record Ivr(@Nullable AudioId prompt, int timeoutSeconds, int maxInvalid, @Nullable AudioId invalidPrompt,
		@Nullable AudioId timeoutPrompt, Map<String, IvrOption> options) {

	public Ivr {
		options = Map.copyOf(options);
	}
}
